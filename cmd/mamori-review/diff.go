package main

func runDiff(args []string) error { return nil }
