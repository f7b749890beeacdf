from setuptools import find_packages, setup

setup(name="transformers", packages=find_packages("src"), package_dir={"": "src"})
