"""The lineage graph of a model: ancestors and descendants registered in the registry."""

from __future__ import annotations

from typing import Any

from trustreg.db.models import Artifact, ArtifactLineage
from trustreg.db.uow import unit_of_work
from trustreg.errors import BadRequest
from trustreg.services.catalog import load

MAX_NODES = 500  # a bound on the walk, so a pathological graph cannot exhaust a Lambda


def _walk(uow: Any, root: Artifact) -> tuple[dict[str, Artifact], list[ArtifactLineage]]:
    nodes: dict[str, Artifact] = {root.id: root}
    edges: dict[int, ArtifactLineage] = {}
    frontier = [root.id]
    while frontier and len(nodes) < MAX_NODES:
        found = uow.artifacts.edges_of_children(frontier) + uow.artifacts.edges_of_parents(frontier)
        frontier = []
        new_ids = set()
        for e in found:
            if e.parent_id is None:
                continue
            edges[e.id] = e
            for aid in (e.parent_id, e.child_id):
                if aid not in nodes:
                    new_ids.add(aid)
        for aid, artifact in uow.artifacts.get_many(sorted(new_ids)).items():
            nodes[aid] = artifact
            frontier.append(aid)
    return nodes, list(edges.values())


def graph(artifact_id: str) -> dict[str, Any]:
    """`ArtifactLineageGraph`: the model itself plus every related registered artifact."""
    with unit_of_work(autocommit=True) as uow:
        root = load(uow, "model", artifact_id)
        details = root.details or {}
        if details.get("card_malformed") and details.get("config_malformed"):
            raise BadRequest("the model's card and config.json are both malformed; no lineage")
        nodes, edges = _walk(uow, root)
        source_of = {e.parent_id: e.source for e in edges}
        return {
            "nodes": [
                {
                    "artifact_id": a.id,
                    "name": a.name,
                    "source": "self" if a.id == root.id else source_of.get(a.id, "registry"),
                    "metadata": {"type": a.type, "repository_url": a.source_url},
                }
                for a in nodes.values()
            ],
            "edges": [
                {
                    "from_node_artifact_id": e.parent_id,
                    "to_node_artifact_id": e.child_id,
                    "relationship": e.relationship,
                }
                for e in edges
                if e.parent_id in nodes and e.child_id in nodes
            ],
        }
