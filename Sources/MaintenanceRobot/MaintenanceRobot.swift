// The engine is written in the `engine` branch; this file holds its place.
