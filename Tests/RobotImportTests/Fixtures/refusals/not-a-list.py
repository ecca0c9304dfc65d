from .steps import load_steps

migration_steps = load_steps("steps.sql")
