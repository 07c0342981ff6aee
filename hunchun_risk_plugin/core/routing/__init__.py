"""Network routing engines: road graph, evacuation to shelters, depot coverage.

Plain numpy / scipy / shapely / pyproj, no QGIS. Module per idea:

- ``metric``     choose a metric CRS so costs never depend on the input CRS
- ``network``    road lines -> graph of straight segments between snapped vertices
- ``snapping``   points -> access nodes inserted on the nearest segment
- ``hazards``    close or penalise segments in hazard polygons / risk-class rasters
- ``graph``      directed, layered CSR travel graph for a mode (walking / driving)
- ``nearest``    multi-source shortest paths (one pass for all facilities)
- ``routes``     predecessor trees -> route lines, distance, time
- ``capacity``   shelter capacity from the field or the area and kind
- ``assignment`` capacity-constrained origin -> shelter assignment (min-cost LP)
- ``evacuation`` the evacuation analysis put together
- ``coverage``   depot / fire-station drive times, zones and summaries
"""
