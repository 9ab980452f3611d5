"""The course's data files: one loader (``datafiles``), the evidence table, the self-check banks."""
