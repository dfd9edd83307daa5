timeout = 5
