// AttuneTUI: see the issues; sources land here.
