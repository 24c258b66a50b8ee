"""What a citation can say of its position: the one vocabulary, apart from the brief's model so
that the command line names the choices without loading it."""

STANCES = ("supports", "opposes", "context")
