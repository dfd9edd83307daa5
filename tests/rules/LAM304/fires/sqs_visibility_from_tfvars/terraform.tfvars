visibility = 30
