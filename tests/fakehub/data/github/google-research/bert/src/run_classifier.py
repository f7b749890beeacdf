import modeling
