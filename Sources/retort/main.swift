print("retort")
