timeout = 3600
