// AttuneEditing: see the issues; sources land here.
