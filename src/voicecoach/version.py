"""The package's version, in a module of its own so that any module (and the lazy
package ``__init__``) can read it without importing anything else."""

from __future__ import annotations

__version__ = "0.1.0"
