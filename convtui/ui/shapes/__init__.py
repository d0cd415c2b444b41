"""The Shapes panel: a network's shapes layer by layer, edited and exported."""
