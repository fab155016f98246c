"""Everything inside one workspace, one sub-package per domain."""
