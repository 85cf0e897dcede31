// AttuneImage: see the issues; sources land here.
