"""Internals of ``ember.viz``: the graph model, a layered layout in pure Python, and SVG / PNG / DOT writers."""
