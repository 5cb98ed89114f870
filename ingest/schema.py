"""The domain model (categories, relationship types, statuses ...) read from data/schema.yaml."""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any


from .yamlio import safe_load as _yaml_load


def default_schema_path() -> Path:
    return Path(str(resources.files("capexgraph.data").joinpath("schema.yaml")))


@dataclass(frozen=True)
class Schema:
    """Allowed values for every coded field; the single source of truth for validator and graph."""

    node_kinds: dict[str, str]
    categories: dict[str, dict[str, Any]]
    relationship_types: dict[str, dict[str, Any]]
    statuses: dict[str, dict[str, str]]
    amount_qualifiers: dict[str, str]
    metrics: dict[str, dict[str, Any]]
    currencies: list[str] = field(default_factory=list)
    product_classes: dict[str, dict[str, str]] = field(default_factory=dict)
    site_classes: dict[str, dict[str, str]] = field(default_factory=dict)
    bases: dict[str, str] = field(default_factory=dict)
    date_bases: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> "Schema":
        with open(path or default_schema_path(), encoding="utf-8") as fh:
            raw = _yaml_load(fh)
        return cls(
            node_kinds=raw["node_kinds"],
            categories=raw["categories"],
            relationship_types=raw["relationship_types"],
            statuses=raw["statuses"],
            amount_qualifiers={str(k or ""): v for k, v in raw["amount_qualifiers"].items()},
            metrics=raw["metrics"],
            currencies=list(raw.get("currencies", [])),
            product_classes=dict(raw.get("product_classes") or {}),
            site_classes=dict(raw.get("site_classes") or {}),
            bases=dict(raw.get("bases") or {}),
            date_bases={str(k or ""): v for k, v in (raw.get("date_bases") or {"": ""}).items()},
            links=dict(raw.get("links") or {}),
        )

    def channels(self, rel_type: str) -> dict[str, str]:
        """Exposure channels of a relationship type: channel -> 'forward' | 'backward'."""
        return dict(self.relationship_types[rel_type].get("channels") or {})

    def classes_for(self, rel_type: str) -> dict[str, dict[str, str]]:
        """The product or site classes a relationship type's rows choose from ({} if none)."""
        kind = self.relationship_types.get(rel_type, {}).get("class_kind")
        return {"product": self.product_classes, "site": self.site_classes}.get(kind, {})

    def class_label(self, cls: str, lang: str = "en") -> str:
        info = self.product_classes.get(cls) or self.site_classes.get(cls) or {}
        return info.get("label_ko" if lang == "ko" else "label", cls)

    def makes(self, categories: list[str]) -> set[str] | None:
        """The product classes companies of these categories produce; None when one of them
        declares none (then the company's business is not narrowed to its recorded products)."""
        declared = [self.categories.get(c, {}).get("makes") for c in categories if c != "investor"]
        if not declared or any(d is None for d in declared):
            return None
        return {cls for d in declared for cls in d}

    def category_label(self, category: str, lang: str = "en") -> str:
        info = self.categories.get(category, {})
        return info.get("label_ko" if lang == "ko" else "label", category)

    def type_label(self, rel_type: str, lang: str = "en") -> str:
        """A relationship type's name in `lang` (the code itself for a type the schema lacks)."""
        info = self.relationship_types.get(rel_type, {})
        return info.get("label_ko" if lang == "ko" else "label") or info.get("label") or rel_type

    def status_label(self, status: str, lang: str = "en") -> str:
        """A status as outputs print it: 'letter of intent', or its Korean name."""
        ko = self.statuses.get(status, {}).get("label_ko") if lang == "ko" else None
        return ko or status.replace("_", " ")
