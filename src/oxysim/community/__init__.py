"""Communities: many people, each carrying the physiology, on a network of ties (in progress).

Built so far: the network (:mod:`oxysim.community.network`) and its file section
(:mod:`oxysim.community.spec`).
"""
