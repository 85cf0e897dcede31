// AttuneModels: see the issues; sources land here.
