migration_steps = [
    """
    ALTER TABLE %s ADD COLUMN IF NOT EXISTS locale text
    """ % "users",
]
