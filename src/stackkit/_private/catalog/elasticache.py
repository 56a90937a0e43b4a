"""ElastiCache node types for Redis OSS and Valkey, as family x size (data, not code).

Source: Amazon ElastiCache API Reference, "CacheNode" (the list of supported node types,
https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CacheNode.html) and the
ElastiCache user guide "Supported node types"
(https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html),
read 2026-11-30. Current generation only: ElastiCache no longer creates clusters on previous
generations (t1, m1, m3, c1, r3), and T2 is moving to previous generation (new T2 clusters are
refused, same page). M7g/R7g (large..16xlarge) and T3/T4g (micro..medium) are also named in
that page's regional note. Network-optimized C7gn is left out until checked against the page.
A newer type is accepted with the construct's documented opt-out
(``allow_uncatalogued_node_type=True``), which warns instead of refusing.
"""

from __future__ import annotations

SOURCE = "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CacheNode.html"
RETRIEVED = "2026-11-30"

_GRAVITON = ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")

#: family -> sizes: ``cache.<family>.<size>``.
FAMILIES: dict[str, tuple[str, ...]] = {
    # General purpose
    "t3": ("micro", "small", "medium"),
    "t4g": ("micro", "small", "medium"),
    "m4": ("large", "xlarge", "2xlarge", "4xlarge", "10xlarge"),
    "m5": ("large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"),
    "m6g": _GRAVITON,
    "m7g": _GRAVITON,
    # Memory optimized
    "r4": ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"),
    "r5": ("large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"),
    "r6g": _GRAVITON,
    "r7g": _GRAVITON,
    # Memory optimized with data tiering (Redis OSS 6.2+ / Valkey): "data tiering is only
    # supported for replication groups using the r6gd node type" (API ReplicationGroup.DataTiering).
    "r6gd": ("xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"),
}

NODE_TYPES: frozenset[str] = frozenset(
    f"cache.{family}.{size}" for family, sizes in FAMILIES.items() for size in sizes
)
