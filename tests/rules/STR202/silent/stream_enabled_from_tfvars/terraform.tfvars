streams = true
