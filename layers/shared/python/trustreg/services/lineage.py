"""The lineage graph of a model: ancestors and descendants registered in the registry."""

from __future__ import annotations

from typing import Any

from trustreg.db.repositories.artifact_statements import Edge
from trustreg.db.uow import UnitOfWork, unit_of_work
from trustreg.errors import BadRequest
from trustreg.services.catalog import load_row
from trustreg.services.views import Linked

MAX_NODES = 500  # a bound on the walk, so a pathological graph cannot exhaust a Lambda


def _walk(
    uow: UnitOfWork, root: Linked, root_edges: list[Edge]
) -> tuple[dict[str, Linked], list[Edge]]:
    nodes: dict[str, Linked] = {root.id: root}
    edges: dict[int, Edge] = {}
    level = root_edges
    while True:
        new_ids: set[str] = set()
        for e in level:
            edges[e.id] = e
            new_ids.update(aid for aid in (e.parent_id, e.child_id) if aid not in nodes)
        found = uow.artifacts.briefs(sorted(new_ids))
        nodes.update(sorted(found.items()))  # by id within a level, whatever the database's order
        if not found or len(nodes) >= MAX_NODES:
            return nodes, list(edges.values())
        level = uow.artifacts.edges_touching(list(found))


def graph(artifact_id: str) -> dict[str, Any]:
    """`ArtifactLineageGraph`: the model itself plus every related registered artifact."""
    with unit_of_work(autocommit=True) as uow:
        root = load_row(uow.artifacts.lineage_root, "model", artifact_id)
        if root.lineage_unreadable:
            raise BadRequest("the model's card and config.json are both malformed; no lineage")
        root_edges = uow.artifacts.edges_touching([root.id]) if root.has_edges else []
        nodes, found = _walk(uow, root, root_edges)
        # In recording order, whatever order the database answered in: a parent named by two
        # children in different ways (one's card, the other's config) shows the first way.
        edges = sorted(found, key=lambda e: e.id)
        source_of: dict[str, str] = {}
        for e in edges:
            source_of.setdefault(e.parent_id, e.source)
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
