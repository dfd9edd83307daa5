concurrency = 0
