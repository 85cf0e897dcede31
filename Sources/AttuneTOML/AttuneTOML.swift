// AttuneTOML: see the issues; sources land here.
