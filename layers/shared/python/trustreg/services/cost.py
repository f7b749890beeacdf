"""Download cost in MB (10^6 bytes): the artifact alone, or with its dependency closure."""

from __future__ import annotations

from typing import Any

from trustreg.db.repositories.artifact_statements import Brief
from trustreg.db.uow import unit_of_work
from trustreg.services.catalog import load_brief

MB = 1_000_000
MAX_DEPENDENCIES = 500


def _mb(a: Brief) -> float:
    return round((a.size_bytes or 0) / MB, 3)


def cost(artifact_type: str, artifact_id: str, dependency: bool) -> dict[str, Any]:
    """`ArtifactCost`: total_cost alone, or standalone and total per artifact in the closure."""
    with unit_of_work(autocommit=True) as uow:
        root = load_brief(uow, artifact_type, artifact_id)
        if not dependency:
            return {root.id: {"total_cost": _mb(root)}}
        closure: dict[str, Brief] = {root.id: root}
        frontier = [root.id]
        while frontier and len(closure) < MAX_DEPENDENCIES:
            parents = {
                e.parent_id
                for e in uow.artifacts.edges_of_children(frontier)
                if e.parent_id and e.parent_id not in closure
            }
            found = uow.artifacts.briefs(sorted(parents))
            closure.update(found)
            frontier = list(found)
        deps = {aid: a for aid, a in closure.items() if aid != root.id}
        out: dict[str, Any] = {
            root.id: {
                "standalone_cost": _mb(root),
                "total_cost": round(_mb(root) + sum(_mb(a) for a in deps.values()), 3),
            }
        }
        for aid, a in deps.items():
            out[aid] = {"standalone_cost": _mb(a), "total_cost": _mb(a)}
        return out
