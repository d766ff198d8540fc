"""Turning files of messy news text into clean sources: reading bytes, setting noise
aside, inferring metadata, and writing each file as one all-or-nothing import."""
