"""Population figures from official statistics, for quotas and weights (no Django).

``ssb07459`` reads a CSV file downloaded from Statistics Norway's StatBank table 07459
("Befolkning, etter region, kjønn, alder og år") and sums it into the bands a panel uses.
"""
