"""RDS for PostgreSQL DB instance classes, as family x size (data, not code).

Source: Amazon RDS User Guide, "DB instance class types"
(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Types.html) and
"Supported DB engines for DB instance classes"
(https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html),
PostgreSQL column, read 2026-11-30; the Graviton4 M8g/R8g classes "up to 48xlarge" for RDS for
PostgreSQL from the AWS Database Blog "Leveling up Amazon RDS with AWS Graviton4: Benchmarks".
Only classes RDS for PostgreSQL offers for new instances;
previous generations that RDS no longer launches (db.t2, db.m4, db.r4...) are left out.
A class that AWS adds after this date is accepted with the construct's documented opt-out
(``allow_uncatalogued_instance_class=True``), which warns instead of refusing.
"""

from __future__ import annotations

SOURCE = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html"
RETRIEVED = "2026-11-30"

_BURSTABLE = ("micro", "small", "medium", "large", "xlarge", "2xlarge")
_GRAVITON = ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")
_GRAVITON4 = (*_GRAVITON, "24xlarge", "48xlarge")
_INTEL5 = ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge")
_INTEL6 = (*_INTEL5, "32xlarge")
_INTEL7 = (*_INTEL5, "48xlarge")

#: family -> sizes: ``db.<family>.<size>``.
FAMILIES: dict[str, tuple[str, ...]] = {
    # Burstable performance
    "t3": _BURSTABLE,
    "t4g": _BURSTABLE,
    # General purpose
    "m5": _INTEL5,
    "m5d": _INTEL5,
    "m6g": _GRAVITON,
    "m6gd": _GRAVITON,
    "m6i": _INTEL6,
    "m6id": _INTEL6,
    "m6in": _INTEL6,
    "m6idn": _INTEL6,
    "m7g": _GRAVITON,
    "m7i": _INTEL7,
    "m8g": _GRAVITON4,
    "m8gd": _GRAVITON4,
    # Memory optimized
    "r5": _INTEL5,
    "r5b": _INTEL5,
    "r5d": _INTEL5,
    "r6g": _GRAVITON,
    "r6gd": _GRAVITON,
    "r6i": _INTEL6,
    "r6id": _INTEL6,
    "r6in": _INTEL6,
    "r6idn": _INTEL6,
    "r7g": _GRAVITON,
    "r7i": _INTEL7,
    "r8g": _GRAVITON4,
    "r8gd": _GRAVITON4,
    "x2g": _GRAVITON,
    "x2iedn": ("xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge", "24xlarge", "32xlarge"),
}

INSTANCE_CLASSES: frozenset[str] = frozenset(
    f"db.{family}.{size}" for family, sizes in FAMILIES.items() for size in sizes
)
