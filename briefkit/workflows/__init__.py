"""Operations that span libraries and briefs (above both layers, used by CLI and TUI alike)."""
