// The throwaway cluster is written in the `throwaway` branch; this file holds its place.
