#!/usr/bin/env python3
"""Generate N idempotent steps in the house style, in every format the benchmark feeds its runners.

    python3 bench/generate_steps.py 500 /tmp/steps-500

writes, under the output directory:

    robot/NNNN_slug.sql      the step files for `robot run --steps` (with `-- robot:name` headers)
    dbmate/NNNN_slug.sql     the same SQL as dbmate migrations (`-- migrate:up`, version = NNNN)
    all.sql                  every step concatenated, for `psql -f`
    steps.json               the step strings in order, for the every-boot loop

The steps keep the Omega protocol: every one can run twice without error or change. They mix, in a
fixed rotation: CREATE TABLE IF NOT EXISTS, ADD COLUMN IF NOT EXISTS, ADD COLUMN guarded by a DO block
catching duplicate_column, CREATE INDEX IF NOT EXISTS, seeds with INSERT ... ON CONFLICT DO NOTHING,
conditional seeds in DO blocks, and now and then a mutable setting upserted with ON CONFLICT DO UPDATE.
Names follow `Descriptive name (vX.Y Update)`, with a new version tag every 50 steps. The output is
deterministic: the same N always gives the same files.
"""

import argparse
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

STEPS_PER_VERSION = 50

ENTITIES = [
    "tenant", "store", "product", "order", "invoice", "customer", "supplier", "warehouse",
    "shipment", "coupon", "review", "category", "payment", "refund", "employee", "shift",
]

# The rotation of step kinds after each CREATE TABLE; every kind works on the newest table.
ROTATION = [
    "create_table", "add_column", "seed", "guarded_column", "create_index",
    "conditional_seed", "add_column", "setting",
]


@dataclass(frozen=True)
class GeneratedStep:
    number: int
    slug: str
    name: str
    sql: str


def version_tag(number: int) -> str:
    """v1.0 for steps 1-50, v1.1 for 51-100, ... v1.9, then v2.0."""
    release = (number - 1) // STEPS_PER_VERSION
    return f"v{1 + release // 10}.{release % 10}"


def table_name(index: int) -> str:
    entity = ENTITIES[index % len(ENTITIES)]
    generation = index // len(ENTITIES)
    return f"{entity}s" if generation == 0 else f"{entity}s_{generation + 1}"


class Generator:
    """Builds steps one by one, remembering the newest table and the columns it has."""

    def __init__(self) -> None:
        self.tables = 0
        self.columns_of_newest = 0
        self.settings = 0

    @property
    def table(self) -> str:
        return table_name(self.tables - 1)

    def step(self, number: int) -> GeneratedStep:
        if number == 1:
            return self.settings_table(number)
        kind = ROTATION[(number - 2) % len(ROTATION)]
        return getattr(self, kind)(number)

    def settings_table(self, number: int) -> GeneratedStep:
        return GeneratedStep(number, "create_app_settings", "Create app settings table", (
            "CREATE TABLE IF NOT EXISTS app_settings (\n"
            "    key text PRIMARY KEY,\n"
            "    value text NOT NULL,\n"
            "    updated_at timestamptz NOT NULL DEFAULT now()\n"
            ");\n"
        ))

    def create_table(self, number: int) -> GeneratedStep:
        self.tables += 1
        self.columns_of_newest = 0
        table = self.table
        return GeneratedStep(number, f"create_{table}", f"Create {table.replace('_', ' ')} table", (
            f"CREATE TABLE IF NOT EXISTS {table} (\n"
            "    id bigserial PRIMARY KEY,\n"
            "    code text NOT NULL UNIQUE,\n"
            "    label text NOT NULL,\n"
            "    created_at timestamptz NOT NULL DEFAULT now()\n"
            ");\n"
        ))

    def next_column(self) -> str:
        self.columns_of_newest += 1
        return f"attribute_{self.columns_of_newest}"

    def add_column(self, number: int) -> GeneratedStep:
        table, column = self.table, self.next_column()
        return GeneratedStep(number, f"add_{column}_to_{table}", f"Add {column.replace('_', ' ')} to {table}", (
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} text;\n"
        ))

    def guarded_column(self, number: int) -> GeneratedStep:
        table, column = self.table, self.next_column()
        return GeneratedStep(number, f"add_{column}_to_{table}", f"Add {column.replace('_', ' ')} to {table} (guarded)", (
            "DO $$\n"
            "BEGIN\n"
            f"    ALTER TABLE {table} ADD COLUMN {column} integer NOT NULL DEFAULT 0;\n"
            "EXCEPTION\n"
            "    WHEN duplicate_column THEN\n"
            f"        RAISE NOTICE 'column {table}.{column} already exists';\n"
            "END\n"
            "$$;\n"
        ))

    def create_index(self, number: int) -> GeneratedStep:
        table = self.table
        index = f"{table}_created_at_idx"
        return GeneratedStep(number, f"index_{table}_created_at", f"Index {table} by creation time", (
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} (created_at);\n"
        ))

    def seed(self, number: int) -> GeneratedStep:
        table = self.table
        rows = ",\n".join(f"    ('{table}-{i}', 'Seed {i} of {table}')" for i in range(1, 4))
        return GeneratedStep(number, f"seed_{table}", f"Seed {table.replace('_', ' ')}", (
            f"INSERT INTO {table} (code, label) VALUES\n{rows}\n"
            "ON CONFLICT (code) DO NOTHING;\n"
        ))

    def conditional_seed(self, number: int) -> GeneratedStep:
        table = self.table
        code = f"{table}-default"
        return GeneratedStep(number, f"seed_default_{table}", f"Seed the default {table.replace('_', ' ')} row", (
            "DO $$\n"
            "BEGIN\n"
            f"    IF NOT EXISTS (SELECT 1 FROM {table} WHERE code = '{code}') THEN\n"
            f"        INSERT INTO {table} (code, label) VALUES ('{code}', 'Default; created on first boot');\n"
            "    END IF;\n"
            "END\n"
            "$$;\n"
        ))

    def setting(self, number: int) -> GeneratedStep:
        self.settings += 1
        key = f"feature.{self.table}.limit"
        return GeneratedStep(number, f"set_{self.table}_limit", f"Set the {self.table.replace('_', ' ')} limit", (
            "-- robot:allow upsert-overwrites a mutable setting the product owns\n"
            "INSERT INTO app_settings (key, value) VALUES\n"
            f"    ('{key}', '{100 * self.settings}')\n"
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now();\n"
        ))


def generate(count: int) -> list[GeneratedStep]:
    generator = Generator()
    return [generator.step(number) for number in range(1, count + 1)]


def file_name(step: GeneratedStep) -> str:
    return f"{step.number:04d}_{step.slug}.sql"


def write(steps: list[GeneratedStep], output: Path) -> None:
    if output.exists():
        shutil.rmtree(output)
    robot, dbmate = output / "robot", output / "dbmate"
    robot.mkdir(parents=True)
    dbmate.mkdir()
    for step in steps:
        header = f"-- robot:name {step.name} ({version_tag(step.number)} Update)\n"
        (robot / file_name(step)).write_text(header + step.sql)
        (dbmate / file_name(step)).write_text(f"-- migrate:up\n{step.sql}\n-- migrate:down\n")
    (output / "all.sql").write_text("\n".join(step.sql for step in steps))
    (output / "steps.json").write_text(json.dumps([step.sql for step in steps], indent=1) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int, help="how many steps (at least 1, at most 9999)")
    parser.add_argument("output", type=Path, help="the directory to write (replaced if it exists)")
    arguments = parser.parse_args()
    if not 1 <= arguments.count <= 9999:
        parser.error("count must be between 1 and 9999: step files are numbered with four digits")
    write(generate(arguments.count), arguments.output)
    print(f"wrote {arguments.count} steps under {arguments.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
