"""Everything outside one workspace: accounts, workspaces, outbox, audit, languages, security."""
