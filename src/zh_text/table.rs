//! The pattern tables of [`super`]: `(English, Chinese)`; `{}` a value in the English text, `{N}`
//! the N-th value in the Chinese one. File names, values, column, key and flag names and category
//! codes are values or kept verbatim in both.

/// Error details, warnings and console lines.
pub const PROBLEMS_ZH: &[(&str, &str)] = &[
    // Lists and places.
    ("{}; {}", "{0}；{1}"),
    ("row {}", "第 {0} 行"),
    ("rows {}", "第 {0} 行"),
    ("feature {}", "要素 {0}"),
    ("features {}", "要素 {0}"),
    ("polygon {}, ring {}", "多边形 {0} 的环 {1}"),
    ("ring {}", "环 {0}"),
    ("polygon {}", "多边形 {0}"),
    ("sheet {}, row {}, column {}", "工作表 {0}，第 {1} 行，列 {2}"),
    ("{}, column `{}`", "{0}，列 `{1}`"),
    // Numbers (io/number.rs).
    (
        "{}: read as a '{}'-separated table with {} numbers (a European spreadsheet export); check a few values",
        "{0}：按“{1}”分隔、{2}数字的表格读取（欧洲格式的表格导出）；请核对几个数值",
    ),
    ("{} is not a number", "{0} 不是数字"),
    (
        "{} mixes a decimal comma and a dot; write one decimal separator",
        "{0} 同时含小数逗号和小数点；请只用一种小数分隔符",
    ),
    (
        "{} has a decimal comma; write {} in this comma-separated table",
        "{0} 使用小数逗号；在逗号分隔的表格中请写作 {1}",
    ),
    (
        "{} has a decimal comma (or misplaced thousands commas); write {} with a decimal point",
        "{0} 使用小数逗号（或千位逗号位置有误）；请用小数点写作 {1}",
    ),
    (
        "{} is ambiguous: {} written with a thousands dot, or {} with a decimal point? write the count as plain digits ({})",
        "{0} 有歧义：是用千位点写的 {1}，还是带小数点的 {2}？请把人数写成纯数字（{3}）",
    ),
    (
        "{} is not a number of this decimal-comma table (dots group thousands: 1.234,5)",
        "{0} 不是该小数逗号表格中的数字（点号为千位分隔：1.234,5）",
    ),
    ("decimal-comma", "小数逗号"),
    // Clip areas and districts.
    ("--halo-m {}: must be between 0 and 50000", "--halo-m {0}：须在 0 到 50000 之间"),
    ("no Polygon or MultiPolygon geometry", "没有 Polygon 或 MultiPolygon 几何"),
    ("not a GeoJSON Feature or FeatureCollection of districts", "不是区县的 GeoJSON Feature 或 FeatureCollection"),
    ("no district feature", "没有区县要素"),
    (
        "no {} property: every district needs a code (choose the property with --code-field)",
        "没有 {0} 属性：每个区县都需要代码（用 --code-field 指定属性）",
    ),
    (
        "code {} cannot name a folder: use letters, digits, '.', '_' or '-'",
        "代码 {0} 不能用作文件夹名：请只用字母、数字、'.'、'_' 或 '-'",
    ),
    (
        "code {} is also the code of feature {} ({}): codes must be unique",
        "代码 {0} 也是要素 {1}（{2}）的代码：代码必须唯一",
    ),
    // Extents.
    (
        "the coordinates look written [lat, lon]: GeoJSON is [lon, lat], swap them",
        "坐标似乎写成了 [纬度, 经度]：GeoJSON 的顺序是 [lon, lat]，请对调",
    ),
    (
        "give the extract that covers them (--osm), or convert the layer to WGS84 lon/lat",
        "请提供覆盖它们的 OSM 数据（--osm），或把图层转换为 WGS84 经纬度",
    ),
    (
        "none of the {} {} overlaps the extract ({}: {}; extract: {}): {}",
        "{0} 个{1}均不与 OSM 数据范围重叠（{2}：{3}；数据范围：{4}）：{5}",
    ),
    ("communities", "社区"),
    ("candidate sites", "候选点"),
    ("facilities", "设施"),
    ("units", "单元"),
    ("districts", "区县"),
    // Facility tables.
    ("unknown category {} (the profile has: {})", "未知类别 {0}（指标方案中的类别：{1}）"),
    (
        "`crs` = {}: use wgs84, gcj02 or bd09, or an EPSG code ({})",
        "`crs` = {0}：请填 wgs84、gcj02、bd09 或 EPSG 代码（{1}）",
    ),
    ("`capacity` = {} is not a non-negative number: {}", "`capacity` = {0} 不是非负数：{1}"),
    ("no facility rows", "没有设施行"),
    ("not a GeoJSON FeatureCollection", "不是 GeoJSON FeatureCollection"),
    ("geometry is not a Point", "几何类型不是 Point"),
    (
        "neither UTF-8 nor GBK/GB18030 text (invalid byte at offset {}); save the table as UTF-8 CSV",
        "既不是 UTF-8 也不是 GBK/GB18030 文本（偏移 {0} 处字节无效）；请另存为 UTF-8 CSV",
    ),
    // Candidate sites.
    ("cost {} is not a positive number", "成本 {0} 不是正数"),
    ("cost {} is not a number", "成本 {0} 不是数字"),
    ("position is not [lon, lat]", "坐标不是 [lon, lat]"),
    ("{} coordinates are not an array", "{0} 的坐标不是数组"),
    ("polygon without an outer ring of at least 3 positions", "多边形没有至少 3 个点的外环"),
    ("polygon of zero area", "多边形面积为零"),
    (
        "geometry is not a Point, MultiPoint, Polygon or MultiPolygon",
        "几何类型不是 Point、MultiPoint、Polygon 或 MultiPolygon",
    ),
    ("no candidate sites", "没有候选点"),
    // Coordinate systems.
    (
        "circle15 converts EPSG:4326, EPSG:4490 (CGCS2000), CGCS2000 Gauss–Krüger (EPSG:4491–4554), UTM (EPSG:326xx/327xx), gcj02 and bd09, and Gauss–Krüger / transverse Mercator .prj files; give the file's system with --crs (e.g. --crs EPSG:4549) or convert it to EPSG:4326",
        "circle15 可转换 EPSG:4326、EPSG:4490（CGCS2000）、CGCS2000 高斯–克吕格（EPSG:4491–4554）、UTM（EPSG:326xx/327xx）、gcj02 和 bd09，以及高斯–克吕格/横轴墨卡托的 .prj 文件；请用 --crs 给出文件的坐标系（如 --crs EPSG:4549），或先转换为 EPSG:4326",
    ),
    ("unknown coordinate system EPSG:{}: {}", "未知坐标系 EPSG:{0}：{1}"),
    ("unknown coordinate system {}: {}", "未知坐标系 {0}：{1}"),
    ("unknown coordinate system {} (expected wgs84, gcj02 or bd09)", "未知坐标系 {0}（应为 wgs84、gcj02 或 bd09）"),
    ("WKT nested too deeply", "WKT 嵌套过深"),
    ("WKT: expected KEYWORD[ at byte {}", "WKT：第 {0} 字节处应为 关键字["),
    ("WKT: unterminated string", "WKT：字符串未结束"),
    ("WKT: bad number {}", "WKT：数字 {0} 无效"),
    ("WKT: unexpected end", "WKT：意外结束"),
    (
        "datum {} (ellipsoid {}) is not CGCS2000 or WGS84; converting it needs a datum transformation with local parameters, which circle15 does not do: convert the file to CGCS2000 or WGS84 first (or, accepting an error of tens of metres, give --crs)",
        "基准面 {0}（椭球 {1}）不是 CGCS2000 或 WGS84；转换它需要带本地参数的基准面转换，circle15 不做：请先把文件转换为 CGCS2000 或 WGS84（或在可接受数十米误差时给出 --crs）",
    ),
    (
        "datum {} with ellipsoid a = {} m, 1/f = {} is not CGCS2000 or WGS84; {}",
        "基准面 {0}（椭球 a = {1} 米，1/f = {2}）不是 CGCS2000 或 WGS84；{3}",
    ),
    ("datum {} without an ellipsoid is not one circle15 knows; {}", "没有椭球的基准面 {0} 不是 circle15 已知的；{1}"),
    ("projected system {} without its geographic system", "投影坐标系 {0} 缺少其地理坐标系"),
    ("projection {} of {} is not supported; {}", "不支持 {1} 的投影 {0}；{2}"),
    ("{}: no central meridian parameter", "{0}：没有中央经线参数"),
    ("{}: latitude of origin {} (only 0 is supported); {}", "{0}：原点纬度为 {1}（只支持 0）；{2}"),
    ("{}: unit {} is not the metre; {}", "{0}：单位 {1} 不是米；{2}"),
    (
        "{} (transverse Mercator CM {}°E, false easting {} m, scale {})",
        "{0}（横轴墨卡托，中央经线 {1}°E，东偏移 {2} 米，比例 {3}）",
    ),
    ("unknown coordinate system EPSG:{} ({}); {}", "未知坐标系 EPSG:{0}（{1}）；{2}"),
    ("unknown coordinate system {}[{}]; {}", "未知坐标系 {0}[{1}]；{2}"),
    ("`crs` {}: unknown coordinate system EPSG:{}; {}", "`crs` {0}：未知坐标系 EPSG:{1}；{2}"),
    ("`crs` {}: unknown coordinate system; {}", "`crs` {0}：未知坐标系；{1}"),
    ("CGCS2000 / 3-degree Gauss-Kruger zone {}", "CGCS2000 / 3 度高斯–克吕格 第 {0} 带"),
    (
        "the layer's CRS may be wrong: with EPSG:{} (CM {}°E) it would overlap the extract",
        "图层的坐标系可能有误：改用 EPSG:{0}（中央经线 {1}°E）即可与 OSM 数据范围重叠",
    ),
    (
        "the layer's CRS may be wrong: with EPSG:{} (CM {}°E, zone {} in the easting) it would overlap the extract",
        "图层的坐标系可能有误：改用 EPSG:{0}（中央经线 {1}°E，横坐标带第 {2} 带带号）即可与 OSM 数据范围重叠",
    ),
    // Layers.
    ("unknown text encoding {} (e.g. utf-8, gbk, gb18030)", "未知文字编码 {0}（如 utf-8、gbk、gb18030）"),
    ("not a GeoJSON object", "不是 GeoJSON 对象"),
    ("not UTF-8 text (GeoJSON must be UTF-8)", "不是 UTF-8 文本（GeoJSON 必须是 UTF-8）"),
    ("cannot read the shapes: {}", "无法读取图形：{0}"),
    ("not a dBASE table: {}", "不是 dBASE 表：{0}"),
    (
        "{} shapes but {} .dbf records; the files do not belong together",
        "{0} 个图形但 {1} 条 .dbf 记录；这些文件不属于同一图层",
    ),
    (
        "{}: the attribute text (.dbf) is not UTF-8 and no code page is declared (no .cpg, no language byte): read as GB18030; if names look wrong, give --encoding",
        "{0}：属性表（.dbf）不是 UTF-8，且未声明代码页（无 .cpg、无语言字节）：已按 GB18030 读取；如名称显示异常，请用 --encoding 指定编码",
    ),
    ("WKB ends early", "WKB 提前结束"),
    ("WKB count {} larger than the geometry", "WKB 计数 {0} 超出几何长度"),
    ("WKB ring count {} larger than the geometry", "WKB 环数 {0} 超出几何长度"),
    ("WKB nested too deeply", "WKB 嵌套过深"),
    ("WKB byte order {} is neither 0 nor 1", "WKB 字节序 {0} 既不是 0 也不是 1"),
    ("a {} inside a WKB multi-geometry of type {}", "类型为 {1} 的 WKB 多部件几何中含有 {0}"),
    ("WKB geometry type {} is not supported", "不支持 WKB 几何类型 {0}"),
    ("not a GeoPackage geometry (no GP header)", "不是 GeoPackage 几何（没有 GP 头）"),
    ("invalid envelope indicator {}", "无效的外包框标志 {0}"),
    ("geometry ends in its header", "几何在头部就已结束"),
    ("no feature layer {}; its layers: {}", "没有要素图层 {0}；现有图层：{1}"),
    ("no feature layer in gpkg_contents", "gpkg_contents 中没有要素图层"),
    ("{} feature layers ({}): choose one with --layer", "{0} 个要素图层（{1}）：请用 --layer 选择一个"),
    // Tables.
    ("not a readable spreadsheet: {}", "不是可读取的电子表格：{0}"),
    ("the workbook has no sheets", "工作簿中没有工作表"),
    ("the sheet is empty (no header row)", "工作表为空（没有表头行）"),
    // Communities.
    ("communities with zero population", "人口为零的社区"),
    (
        "{} pairs of communities overlap (their shared residents are counted once, in the first): {}",
        "{0} 对社区相互重叠（重叠部分的居民只计一次，计入前一个）：{1}",
    ),
    (
        "--clip: none of the {} communities lies inside the clip area (wrong --clip-crs, or an extract that does not cover the area?)",
        "--clip：{0} 个社区均不在裁剪范围内（--clip-crs 有误，或 OSM 数据未覆盖该范围？）",
    ),
    (
        "the polygon encloses no area (degenerate ring, or holes as large as the outer ring)",
        "多边形不围合任何面积（环退化，或内洞与外环一样大）",
    ),
    (
        "the polygon is degenerate: its bounding box ({} × {} km) is out of all proportion to its area ({} m²); a sliver or self-intersecting ring?",
        "多边形退化：外包框（{0} × {1} 公里）与面积（{2} m²）完全不成比例；是狭长碎片或自相交的环？",
    ),
    ("FeatureCollection without a `features` array", "FeatureCollection 没有 `features` 数组"),
    ("the FeatureCollection has no features", "FeatureCollection 中没有要素"),
    ("population {} is negative or not finite", "人口 {0} 为负数或不是有限数"),
    ("population {} is not a number", "人口 {0} 不是数字"),
    ("population {}", "人口 {0}"),
    ("age column {} = {} is not a non-negative number", "年龄列 {0} = {1} 不是非负数"),
    (
        "community {} ({}): invalid polygon ({}) with no area left after repair",
        "社区 {0}（{1}）：多边形无效（{2}），修复后面积为零",
    ),
    ("community {} ({}): {}, area changed by {}%", "社区 {0}（{1}）：{2}，面积变化 {3}%"),
    ("no geometry", "没有几何"),
    // Geometry.
    ("lon {}, lat {}: not a finite number", "经度 {0}，纬度 {1}：不是有限数"),
    (
        "lon {}, lat {}: latitude out of range; lon and lat look swapped (the order is [lon, lat])",
        "经度 {0}，纬度 {1}：纬度超出范围；经纬度似乎写反了（顺序为 [lon, lat]）",
    ),
    (
        "lon {}, lat {}: outside WGS84 ranges (lon −180…180, lat −90…90; projected coordinates? give the file's system with --crs, e.g. --crs EPSG:4549 for CGCS2000 3° Gauss–Krüger CM 120°E, or a .prj beside a Shapefile)",
        "经度 {0}，纬度 {1}：超出 WGS84 范围（经度 −180…180，纬度 −90…90；是投影坐标？请用 --crs 给出文件的坐标系，如 CGCS2000 3° 高斯–克吕格中央经线 120°E 用 --crs EPSG:4549，或在 Shapefile 旁放 .prj）",
    ),
    ("{} is not an array of positions", "{0} 不是坐标数组"),
    ("{}, position {} is not [lon, lat]", "{0} 的第 {1} 个点不是 [lon, lat]"),
    ("{}, position {} has a non-numeric coordinate", "{0} 的第 {1} 个点含非数字坐标"),
    ("{}, position {}: {}", "{0} 的第 {1} 个点：{2}"),
    ("{} has {} positions; a closed ring needs at least 4", "{0} 只有 {1} 个点；闭合环至少需要 4 个"),
    ("{} is not closed (its first and last positions differ)", "{0} 未闭合（首尾点不同）"),
    ("{} has no rings", "{0} 没有环"),
    ("{}: coordinates are not an array of rings", "{0}：坐标不是环的数组"),
    ("the polygon", "多边形"),
    ("geometry without coordinates", "几何没有坐标"),
    ("MultiPolygon has no polygons", "MultiPolygon 中没有多边形"),
    ("MultiPolygon coordinates are not an array", "MultiPolygon 的坐标不是数组"),
    ("geometry type {} is not Polygon or MultiPolygon", "几何类型 {0} 不是 Polygon 或 MultiPolygon"),
    ("geometry without a type", "几何没有类型"),
    // Analyze.
    (
        "lon and lat look swapped: off the extract ({}) as given, on it read the other way round; swap the lon and lat {}",
        "经纬度似乎写反了：按原样位于 OSM 数据范围（{0}）之外，对调后则在范围内；请对调经纬度{1}",
    ),
    ("columns", "两列"),
    ("of each point ([lon, lat])", "（每个点按 [lon, lat]）"),
    (
        "--remove-facility {}: no such facility (see facilities.geojson)",
        "--remove-facility {0}：没有该设施（见 facilities.geojson）",
    ),
    (
        "--units osm: profile {} names no admin levels ([units] admin_levels = [6, 8, 10])",
        "--units osm：指标方案 {0} 未列出行政级别（[units] admin_levels = [6, 8, 10]）",
    ),
    (
        "--units osm: no complete boundary=administrative relation of admin_level {} in the extract",
        "--units osm：OSM 数据中没有 admin_level {0} 的完整 boundary=administrative 关系",
    ),
    ("--census needs --units (the units the table is by)", "--census 需要 --units（普查表所按的单元）"),
    ("--census needs --units (the units the census table is by)", "--census 需要 --units（普查表所按的单元）"),
    ("{}: rows {} match no unit and were not placed", "{0}：第 {1} 行未匹配任何单元，未分配"),
    (
        "{}: {} units have no residential building; their residents sit on a sample grid",
        "{0}：{1} 个单元没有居住建筑；其居民按采样网格分布",
    ),
    (
        "{}: {} of {} populated cells have no residential building; their residents sit at the cell centre",
        "{0}：{2} 个有人口的栅格中有 {1} 个没有居住建筑；其居民放在栅格中心",
    ),
    (
        "{} residents of the population source lie outside every community ({} points)",
        "人口数据中有 {0} 名居民不在任何社区内（{1} 个点）",
    ),
    (
        "{} communities: their mapped residential buildings house less than {}% of their population (population.min_building_share, at {} m² per resident); {} residents were placed on area samples instead of on those buildings: {}",
        "{0} 个社区：已标注的居住建筑容纳不到其人口的 {1}%（population.min_building_share，按每人 {2} m²）；{3} 名居民改按用地采样点分布，而不放在这些建筑上：{4}",
    ),
    (
        "{} residents ({} demand points) in {} communities are further than {} m (walk.demand_snap_limit_m) from any walkable way: not attached, counted as unserved in every category (unattached_population): {}",
        "{2} 个社区的 {0} 名居民（{1} 个需求点）距最近的步行道路超过 {3} 米（walk.demand_snap_limit_m）：未接入路网，在所有类别中计为未覆盖（unattached_population）：{4}",
    ),
    ("{} ({} residents, {} points, nearest street {} m)", "{0}（{1} 人，{2} 个点，最近道路 {3} 米）"),
    (
        "{} residents in {} communities live on network islands cut off from the main walking network (they reach only facilities on their island): {}",
        "{1} 个社区的 {0} 名居民位于与主路网不连通的路网孤岛上（只能到达孤岛上的设施）：{2}",
    ),
    (
        "off the extract ({}) as given, on it with lon and lat swapped: written [lat, lon]? GeoJSON is [lon, lat]; swap them",
        "按原样位于 OSM 数据范围（{0}）之外，对调经纬度后则在范围内：写成了 [纬度, 经度]？GeoJSON 的顺序是 [lon, lat]；请对调",
    ),
    ("every feature", "所有要素"),
    ("every row", "所有行"),
    ("--add-facility {},{}: lon/lat outside WGS84 ranges", "--add-facility {0},{1}：经纬度超出 WGS84 范围"),
    (
        "the clip area and its halo ({}) hold no walkable way of {}: give the extract that covers it; an area written [lat, lon] (GeoJSON is [lon, lat]) or in another CRS (--clip-crs) lands elsewhere",
        "裁剪范围及其缓冲区（{0}）内没有 {1} 的步行道路：请提供覆盖该范围的 OSM 数据；写成 [纬度, 经度]（GeoJSON 为 [lon, lat]）或其他坐标系（--clip-crs）的范围会落在别处",
    ),
    (
        "no walkable way in the extract (is it a car-only or non-street export?)",
        "OSM 数据中没有步行道路（是只含机动车道或不含街道的导出？）",
    ),
    ("--complete: unknown category {}", "--complete：未知类别 {0}"),
    ("--add-facility: unknown category {}", "--add-facility：未知类别 {0}"),
    // Population sources (the data-quality line).
    ("given in the layer", "取自社区图层"),
    ("census table by unit", "按单元的人口普查表"),
    ("population raster", "人口栅格"),
    ("building floor area ÷ {} m² per resident", "按居住建筑面积 ÷ 每人 {0} m² 推算"),
    (
        "ground area × {} ÷ {} m² per resident (no residential building mapped)",
        "按用地面积 × {0} ÷ 每人 {1} m² 推算（未标注居住建筑）",
    ),
    ("{} communities from {}: {} residents", "{0} 个社区{1}：{2} 人"),
    (
        "{}: no community gives a population, so all {} are estimated (add a `population` property, or give --census/--population); population {} residents, by source: {}",
        "{0}：没有社区给出人口，{1} 个社区全部为估算（请添加 `population` 属性，或给出 --census/--population）；人口合计 {2} 人，按来源：{3}",
    ),
    ("population {} residents, by source: {}", "人口合计 {0} 人，按来源：{1}"),
    // Diagnostics.
    (
        "profile {} has {} presence indicators (e.g. {}); give --units to evaluate them",
        "指标方案 {0} 含 {1} 项设施覆盖单元指标（如 {2}）；需用 --units 提供规划单元才能评估",
    ),
    (
        "{}: the {} facilities declared WGS84 look like GCJ-02 (systematically offset from the street network and from OSM facilities of their category; median distance to the network {} m as given, {} m if read as GCJ-02): add a column crs=gcj02",
        "{0}：声明为 WGS84 的 {1} 处设施看起来是 GCJ-02 坐标（与路网和同类 OSM 设施存在系统偏移；按原样到路网的距离中位数 {2} 米，按 GCJ-02 读取为 {3} 米）：请添加一列 crs=gcj02",
    ),
    (
        "{} facilities are further than {} m from any walkable way and were not used: {}",
        "{0} 处设施距最近的步行道路超过 {1} 米，未计入：{2}",
    ),
    (
        "{} categories have no facility in the inputs and are not assessed (no data; left out of the index, gaps and maps): {}; supply a facility table (--facilities) or declare the data complete (--complete)",
        "{0} 个类别在输入中没有任何设施，未评估（缺的是数据，不一定是服务；不计入综合指数、差距排名和地图）：{1}；请用 --facilities 提供设施表，或确认数据完整后用 --complete 声明",
    ),
    // Batch.
    ("not a district record: {}", "不是区县记录：{0}"),
    (
        "no district record ({}/<code>/record.json) in {}: run `circle15 batch` (or its shards) first",
        "{1} 中没有区县记录（{0}/<代码>/record.json）：请先运行 `circle15 batch`（或其分片）",
    ),
    (
        "district {} has a record in both {} and {}: merge each shard's folder once",
        "区县 {0} 在 {1} 和 {2} 中都有记录：每个分片的文件夹只能合并一次",
    ),
    (
        "{}: district {} comes from a districts file of {} features, others from one of {}",
        "{0}：区县 {1} 来自含 {2} 个要素的区县文件，其他区县来自含 {3} 个要素的文件",
    ),
    (
        "{} of {} districts have no record (features {}): a shard was not run or was interrupted; run it again, then merge",
        "{1} 个区县中有 {0} 个没有记录（要素 {2}）：有分片未运行或被中断；请重新运行后再合并",
    ),
    ("district {} ({}): {}", "区县 {0}（{1}）：{2}"),
    ("district {}: {}", "区县 {0}：{1}"),
    ("batch needs --osm", "batch 需要 --osm"),
    ("batch needs --osm PROVINCE.osm.pbf", "batch 需要 --osm 省.osm.pbf"),
    (
        "batch: {} of {} districts in shard {}/{}: {} analysed, {} failed, into {} in {} s",
        "batch：分片 {2}/{3} 含 {1} 个区县中的 {0} 个：已分析 {4} 个，失败 {5} 个，输出到 {6}，用时 {7} 秒",
    ),
    (
        "provincial summary: after every shard, `circle15 merge DIR… --out OUT`",
        "全省汇总：全部分片完成后运行 `circle15 merge DIR… --out OUT`",
    ),
    (
        "provincial summary of {} districts ({} not analysed): districts.md, districts.csv, districts.geojson in {}",
        "全省汇总 {0} 个区县（{1} 个未能分析）：districts.md、districts.csv、districts.geojson 已写到 {2}",
    ),
    (
        "{} of {} districts failed (listed above, and in districts.csv / the shard's records)",
        "{1} 个区县中有 {0} 个失败（见上方列表，以及 districts.csv / 分片记录）",
    ),
    // Command line.
    ("--threads {}: must be between 1 and 1024", "--threads {0}：须在 1 到 1024 之间"),
    ("--year {}: not a plausible year", "--year {0}：不是合理的年份"),
    (
        "--census and --population are alternative population sources: give one",
        "--census 与 --population 是二选一的人口来源：请只给一个",
    ),
    ("--speed {}: must be between 0.2 and 3.0 m/s", "--speed {0}：须在 0.2 到 3.0 米/秒之间"),
    (
        "--complete {}: no such category in profile {} (ids: {})",
        "--complete {0}：指标方案 {1} 中没有该类别（类别代码：{2}）",
    ),
    ("--out {}: exists and is not a directory", "--out {0}：已存在且不是目录"),
    ("--out {}: cannot be created: {} is a file, not a directory", "--out {0}：无法创建：{1} 是文件而不是目录"),
    ("--count {}: must be between 1 and 10000", "--count {0}：须在 1 到 10000 之间"),
    ("--capacity {}: must be a non-negative number", "--capacity {0}：须为非负数"),
    (
        "objective sfca: category {} has no per-1,000 target (quota_per_1000) in profile {}; use --objective coverage or a profile with a quota",
        "目标 sfca：类别 {0} 在指标方案 {1} 中没有千人指标（quota_per_1000）；请用 --objective coverage，或使用含定额的指标方案",
    ),
    (
        "objective sfca: give --capacity (category {} has no default_capacity in profile {})",
        "目标 sfca：请给出 --capacity（类别 {0} 在指标方案 {1} 中没有 default_capacity）",
    ),
    ("--budget {}: must be a positive number", "--budget {0}：须为正数"),
    (
        "--budget needs --candidates with a `cost` property on every feature",
        "--budget 需要 --candidates，且每个要素都有 `cost` 属性",
    ),
    (
        "--budget: candidate feature {} has no `cost` property (every candidate needs one)",
        "--budget：候选要素 {0} 没有 `cost` 属性（每个候选点都需要）",
    ),
    ("batch: the districts are the clip areas; leave out --clip", "batch：区县即裁剪范围；请去掉 --clip"),
    (
        "batch: site plans and what-if edits are per district: run `analyze --clip` for the district",
        "batch：选址和情景编辑按区县进行：请对该区县运行 `analyze --clip`",
    ),
    ("the memory available", "本机可用内存"),
    (
        "{}: analysing this {} MB extract whole needs about {} MiB (estimated from its size), more than {} ({} MiB): clip it to the district with --clip AREA.geojson",
        "{0}：整体分析这份 {1} MB 的数据约需 {2} MiB 内存（按文件大小估算），超过{3}（{4} MiB）：请用 --clip 区域.geojson 裁剪到区县",
    ),
    ("--plan {}: expected CATEGORY:COUNT, e.g. kindergarten:5", "--plan {0}：应为 类别:数量，如 kindergarten:5"),
    ("--add-facility {}: expected lon,lat,category[,capacity]", "--add-facility {0}：应为 经度,纬度,类别[,容量]"),
    ("--add-facility {}: unknown category {}", "--add-facility {0}：未知类别 {1}"),
    ("--add-facility {}: {}", "--add-facility {0}：{1}"),
    (
        "--remove-facility {}: expected TYPE/ID, e.g. node/123456",
        "--remove-facility {0}：应为 类型/编号，如 node/123456",
    ),
    ("--crs {}: {}", "--crs {0}：{1}"),
    ("--clip-crs {}: {}", "--clip-crs {0}：{1}"),
    ("--districts-crs {}: {}", "--districts-crs {0}：{1}"),
    ("--encoding {}: {}", "--encoding {0}：{1}"),
    // Basemap.
    (
        "--basemap {}: 天地图 tiles need your key: add --basemap-key KEY (a browser key from https://console.tianditu.gov.cn; it is written into report.html)",
        "--basemap {0}：天地图瓦片需要您的密钥：请加 --basemap-key 密钥（在 https://console.tianditu.gov.cn 申请的浏览器端密钥；它会写入 report.html）",
    ),
    (
        "--basemap-key {}: not a 天地图 key (letters and digits only)",
        "--basemap-key {0}：不是天地图密钥（只含字母和数字）",
    ),
    (
        "--basemap {}: expected none, osm, tianditu, tianditu-img or a tile URL template like https://tiles.example.org/{z}/{x}/{y}.png",
        "--basemap {0}：应为 none、osm、tianditu、tianditu-img，或瓦片地址模板，如 https://tiles.example.org/{z}/{x}/{y}.png",
    ),
    (
        "--basemap-key is only used with --basemap tianditu or tianditu-img",
        "--basemap-key 只用于 --basemap tianditu 或 tianditu-img",
    ),
    (
        "--basemap {}: {} tiles are in GCJ-02/BD-09 (China's offset coordinates) and lie 300–600 m from the WGS84 data of the report; use osm, tianditu or another WGS84 / Web Mercator source",
        "--basemap {0}：{1} 瓦片采用 GCJ-02/BD-09（国内偏移坐标），与报告的 WGS84 数据相差 300–600 米；请用 osm、tianditu 或其他 WGS84 / Web 墨卡托底图",
    ),
    (
        "--basemap {}: {} (expected e.g. https://tiles.example.org/{z}/{x}/{y}.png)",
        "--basemap {0}：{1}（应如 https://tiles.example.org/{z}/{x}/{y}.png）",
    ),
    ("a URL cannot hold whitespace, quotes, <, > or backslashes", "地址中不能有空白、引号、<、> 或反斜杠"),
    ("no host name", "没有主机名"),
    ("a tile template needs {z}, {x} and {y}", "瓦片模板需要 {z}、{x} 和 {y}"),
    // OSM.
    ("{} of {} member ways are not in the extract", "{1} 条成员路中有 {0} 条不在 OSM 数据中"),
    ("no member ways", "没有成员路"),
    ("{} ring pieces do not close", "{0} 段环未闭合"),
    ("nodes of its member ways are not in the extract", "其成员路的节点不在 OSM 数据中"),
    (
        "{} administrative boundaries are incomplete in the extract and were not used as units: {}",
        "{0} 条行政边界在 OSM 数据中不完整，未用作单元：{1}",
    ),
    ("relation/{} {} (admin_level {}): {}", "relation/{0} {1}（admin_level {2}）：{3}"),
    ("unsupported required feature {}", "不支持必需特性 {0}"),
    ("unknown blob type {}", "未知数据块类型 {0}"),
    ("file is empty (no blocks)", "文件为空（没有数据块）"),
    ("node {} at lon {}, lat {}: outside WGS84 ranges", "节点 {0}（经度 {1}，纬度 {2}）：超出 WGS84 范围"),
    ("is a directory", "是目录"),
    ("truncated: {} stray bytes at the end (byte {})", "文件被截断：末尾有 {0} 个多余字节（第 {1} 字节）"),
    (
        "this is OSM XML (.osm), not PBF: convert it, e.g. `osmium cat in.osm -o out.osm.pbf`",
        "这是 OSM XML（.osm），不是 PBF：请先转换，如 `osmium cat in.osm -o out.osm.pbf`",
    ),
    (
        "block {} (byte {}): block header length {} is impossible (corrupt, or not a PBF file)",
        "数据块 {0}（第 {1} 字节）：块头长度 {2} 不可能（文件损坏，或不是 PBF 文件）",
    ),
    (
        "block {} (byte {}): truncated block header ({} of {} bytes)",
        "数据块 {0}（第 {1} 字节）：块头被截断（{3} 字节中只有 {2} 字节）",
    ),
    (
        "block {} (byte {}): unreadable block header (no blob size)",
        "数据块 {0}（第 {1} 字节）：块头无法读取（没有数据大小）",
    ),
    (
        "block {} (byte {}): declares a blob of {} bytes (the format allows 0 to 32 MiB)",
        "数据块 {0}（第 {1} 字节）：声明的数据大小为 {2} 字节（格式允许 0 到 32 MiB）",
    ),
    (
        "block {} (byte {}): truncated: the blob declares {} bytes, {} remain",
        "数据块 {0}（第 {1} 字节）：文件被截断：声明 {2} 字节，只剩 {3} 字节",
    ),
    ("block {} (byte {}): {}", "数据块 {0}（第 {1} 字节）：{2}"),
    // The PBF block decoder (osm::pbf_block).
    ("block {}: {}", "数据块 {0}：{1}"),
    ("node {}", "节点 {0}"),
    ("way {}", "路 {0}"),
    ("relation {}", "关系 {0}"),
    ("block header", "块头"),
    ("header block", "文件头块"),
    ("primitive block", "数据块内容"),
    ("primitive group", "数据组"),
    ("string table", "字符串表"),
    ("dense nodes", "密集节点"),
    ("{}: a varint runs past the end or is too long", "{0}：变长整数超出末尾或过长"),
    ("{}: a field of {} bytes runs past the end ({} bytes left)", "{0}：{1} 字节的字段超出末尾（只剩 {2} 字节）"),
    ("{}: a fixed-size field runs past the end ({} bytes left)", "{0}：定长字段超出末尾（只剩 {1} 字节）"),
    ("{}: field {} has the unknown wire type {}", "{0}：字段 {1} 的编码类型 {2} 未知"),
    (
        "{}: field {} has wire type {}, not the expected one (unpacked or corrupt)",
        "{0}：字段 {1} 的编码类型为 {2}，不是应有的类型（未打包或已损坏）",
    ),
    ("{}: field {} appears twice", "{0}：字段 {1} 出现两次"),
    ("{}: no blob type", "{0}：没有数据块类型"),
    ("{}: the blob type is not UTF-8", "{0}：数据块类型不是 UTF-8"),
    ("{}: a required feature is not UTF-8", "{0}：必需特性不是 UTF-8"),
    (
        "blob holds {} bytes uncompressed (the format allows up to 32 MiB)",
        "数据块未压缩时有 {0} 字节（格式最多允许 32 MiB）",
    ),
    (
        "blob declares {} bytes uncompressed (the format allows 0 to 32 MiB)",
        "数据块声明未压缩大小为 {0} 字节（格式允许 0 到 32 MiB）",
    ),
    (
        "blob compressed with {}, which is not supported (only zlib and uncompressed blobs are); re-encode the file, e.g. `osmium cat in.osm.pbf -o out.osm.pbf`",
        "数据块用 {0} 压缩，不受支持（只支持 zlib 压缩和未压缩的数据块）；请重新编码文件，如 `osmium cat in.osm.pbf -o out.osm.pbf`",
    ),
    ("blob has neither raw nor zlib data", "数据块既没有未压缩数据也没有 zlib 数据"),
    ("zlib data: {}", "zlib 数据：{0}"),
    ("zlib data: the stream ends early ({} bytes inflated)", "zlib 数据：数据流提前结束（已解压 {0} 字节）"),
    ("zlib data inflates to more than the declared {} bytes", "zlib 数据解压后超过声明的 {0} 字节"),
    ("zlib data inflates to {} bytes, not the declared {}", "zlib 数据解压后为 {0} 字节，而不是声明的 {1} 字节"),
    (
        "{}: string index {} is outside the string table ({} strings)",
        "{0}：字符串索引 {1} 超出字符串表（共 {2} 个字符串）",
    ),
    ("{}: string {} of the string table is not UTF-8", "{0}：字符串表的第 {1} 个字符串不是 UTF-8"),
    ("{}: coordinates overflow", "{0}：坐标溢出"),
    ("{}: {} ids, {} latitudes and {} longitudes", "{0}：{1} 个编号、{2} 个纬度和 {3} 个经度（数量应相同）"),
    ("{}: {} tag keys but {} values", "{0}：{1} 个标签键，但有 {2} 个值"),
    (
        "{}: {} member roles, {} member ids and {} member types",
        "{0}：{1} 个成员角色、{2} 个成员编号和 {3} 个成员类型（数量应相同）",
    ),
    ("{}: member {} has the unknown member type {}", "{0}：成员 {1} 的成员类型 {2} 未知"),
    // Plans.
    ("no street in the extract to place the candidate sites on", "OSM 数据中没有可放置候选点的街道"),
    (
        "category {}: the 2SFCA objective needs a capacity and a per-1,000 target",
        "类别 {0}：两步移动搜索法（2SFCA）目标需要容量和千人指标",
    ),
    (
        "category {}: the 2SFCA objective needs the capacity of every existing facility (some have no capacity tag and the profile sets no default_capacity); use --objective coverage",
        "类别 {0}：两步移动搜索法（2SFCA）目标需要每处现有设施的容量（部分设施没有容量标签，指标方案也未设 default_capacity）；请用 --objective coverage",
    ),
    ("suggested sites for {}:", "{0} 的建议新增点位："),
    ("+{} places of shortfall closed, {} left", "缩小缺口 {0} 个名额，剩余 {1}"),
    ("+{} residents", "新增覆盖 {0} 人"),
    // Census.
    (
        "needs a `name` or a `code` column to match units (have: {})",
        "需要 `name` 或 `code` 列来匹配单元（现有列：{0}）",
    ),
    ("missing column `population` (have: {})", "缺少 `population` 列（现有列：{0}）"),
    ("empty: the row names no unit", "为空：该行没有给出单元"),
    ("not a non-negative number: {}", "不是非负数：{0}"),
    ("{} exceeds the row's population {}", "{0} 超过该行的人口 {1}"),
    ("the same unit as row {}", "与第 {0} 行是同一单元"),
    ("no data rows", "没有数据行"),
    (
        "census row {}: {} units are named {} (levels {}); add a `level` or `code` column",
        "普查表第 {0} 行：有 {1} 个单元名为 {2}（层级 {3}）；请添加 `level` 或 `code` 列",
    ),
    ("census rows {} and {} both match unit {} ({})", "普查表第 {0} 行和第 {1} 行都匹配单元 {2}（{3}）"),
    (
        "census rows match units of several levels ({}): give the rows of one level only, or residents would be counted twice",
        "普查表的行匹配了多个层级的单元（{0}）：请只给出一个层级的行，否则居民会被重复计算",
    ),
    // Rasters.
    (
        "the raster is too large to read at once: clip it to the study area first (e.g. gdal_translate -projwin)",
        "栅格太大，无法一次读取：请先裁剪到研究范围（如 gdal_translate -projwin）",
    ),
    ("not a readable TIFF: {}", "不是可读取的 TIFF：{0}"),
    (
        "{}: a population raster has one band; extract the population band (gdal_translate -b N)",
        "{0}：人口栅格只应有一个波段；请提取人口波段（gdal_translate -b N）",
    ),
    (
        "no GeoKeyDirectory tag: not a GeoTIFF, the coordinate system is unknown",
        "没有 GeoKeyDirectory 标签：不是 GeoTIFF，坐标系未知",
    ),
    ("GDAL_NODATA {} is not a number", "GDAL_NODATA {0} 不是数字"),
    (
        "unsupported sample type (16-bit float?); convert to Float32",
        "不支持的像元类型（16 位浮点？）；请转换为 Float32",
    ),
    ("GeoKeyDirectory shorter than its header", "GeoKeyDirectory 比其头部还短"),
    ("GeoKeyDirectory announces {} keys but holds {}", "GeoKeyDirectory 声明 {0} 个键，实际只有 {1} 个"),
    (
        "geographic CRS EPSG:{} is not supported ({}); reproject with gdalwarp -t_srs EPSG:4326",
        "不支持地理坐标系 EPSG:{0}（{1}）；请用 gdalwarp -t_srs EPSG:4326 重投影",
    ),
    (
        "a user-defined geographic CRS is not supported ({}); reproject with gdalwarp -t_srs EPSG:4326",
        "不支持自定义地理坐标系（{0}）；请用 gdalwarp -t_srs EPSG:4326 重投影",
    ),
    (
        "a user-defined projected CRS (e.g. GHS-POP's World Mollweide, ESRI:54009) is not supported ({}); reproject with gdalwarp -t_srs EPSG:4326",
        "不支持自定义投影坐标系（如 GHS-POP 的 World Mollweide，ESRI:54009）（{0}）；请用 gdalwarp -t_srs EPSG:4326 重投影",
    ),
    (
        "projected CRS EPSG:{} is not supported ({}); reproject with gdalwarp -t_srs EPSG:4326",
        "不支持投影坐标系 EPSG:{0}（{1}）；请用 gdalwarp -t_srs EPSG:4326 重投影",
    ),
    (
        "GTModelTypeGeoKey = {} (geocentric or unknown) is not supported ({})",
        "不支持 GTModelTypeGeoKey = {0}（地心或未知）（{1}）",
    ),
    (
        "the GeoKeyDirectory has no GTModelTypeGeoKey: the coordinate system is unknown",
        "GeoKeyDirectory 中没有 GTModelTypeGeoKey：坐标系未知",
    ),
    // Profiles.
    (
        "key `units.admin_levels`: {} is not an OSM admin_level (1–12)",
        "键 `units.admin_levels`：{0} 不是 OSM 的 admin_level（1–12）",
    ),
    (
        "key `units.admin_level_names.{}`: must be an admin_level 1–12",
        "键 `units.admin_level_names.{0}`：须为 admin_level 1–12",
    ),
    ("key `units.admin_level_names.{}`: empty level name", "键 `units.admin_level_names.{0}`：层级名称为空"),
    ("{}: key `id`: must be ASCII snake_case", "{0}：键 `id`：须为 ASCII snake_case"),
    ("{}: key `id`: duplicate area target id", "{0}：键 `id`：面积指标 id 重复"),
    ("{}: needs `tags` or `categories` to select what is measured", "{0}：需要 `tags` 或 `categories` 来选择测量对象"),
    ("{}: key `min_by_year.{}`: must be a year 1990–2100", "{0}：键 `min_by_year.{1}`：须为 1990–2100 的年份"),
    ("{}: key `id`: duplicate facility share id", "{0}：键 `id`：设施占比指标 id 重复"),
    ("{}: key `categories`: give at least one category", "{0}：键 `categories`：至少给出一个类别"),
    ("{}: key `id`: duplicate presence id", "{0}：键 `id`：设施覆盖单元指标 id 重复"),
    (
        "{}: key `level`: must list at least one unit level, e.g. [\"街道\", \"镇\"]",
        "{0}：键 `level`：至少列出一个单元层级，如 [\"街道\", \"镇\"]",
    ),
    ("{}: key `level`: empty level name", "{0}：键 `level`：层级名称为空"),
    ("{}: key `level`: level {} listed twice", "{0}：键 `level`：层级 {1} 重复列出"),
    ("{}: key `names`: empty name pattern", "{0}：键 `names`：名称模式为空"),
    (
        "{}: key `all_names`: needs `names` to list the facilities that must all be present",
        "{0}：键 `all_names`：需要 `names` 列出必须全部具备的设施",
    ),
    ("{}: key `minutes`: only applies to mode = \"within\"", "{0}：键 `minutes`：只适用于 mode = \"within\""),
    ("{}: key `minutes`: required with mode = \"within\"", "{0}：键 `minutes`：mode = \"within\" 时必需"),
    (
        "no such profile file, and not a built-in profile (built-in: {})",
        "没有该指标方案文件，也不是内置方案（内置：{0}）",
    ),
    (
        "not UTF-8 text (invalid byte at offset {}); save the profile as UTF-8",
        "不是 UTF-8 文本（偏移 {0} 处字节无效）；请把指标方案另存为 UTF-8",
    ),
    (
        "no targets for year {}: the profile has no yearly targets ([targets.<year>.<category>] tables)",
        "没有 {0} 年的目标：该指标方案没有分年度目标（[targets.<年份>.<类别>] 表）",
    ),
    ("no targets for year {} (profile has {})", "没有 {0} 年的目标（指标方案中有：{1}）"),
    ("line {}: {}", "第 {0} 行：{1}"),
    ("key `{}` = {}: must be between {} and {}", "键 `{0}` = {1}：须在 {2} 到 {3} 之间"),
    ("key `name`: must not be empty", "键 `name`：不能为空"),
    ("[text_zh]: an empty key", "[text_zh]：键为空"),
    (
        "[text_zh] {}: the Chinese must not contain {} (use “” for quotes)",
        "[text_zh] {0}：中文中不能含 {1}（引号请用 “”）",
    ),
    ("key `age_shares.{}`: unknown age group (known: {})", "键 `age_shares.{0}`：未知年龄组（已知：{1}）"),
    ("keys `index.*`: weights must not all be zero", "键 `index.*`：权重不能全为零"),
    ("no [[category]] defined", "没有定义 [[category]]"),
    ("{}: key `id`: duplicate category id", "{0}：键 `id`：类别 id 重复"),
    (
        "{}: keys `threshold_min` and `threshold_m`: give one, not both",
        "{0}：键 `threshold_min` 与 `threshold_m`：只给一个",
    ),
    (
        "{}: needs `threshold_min` (minutes) or `threshold_m` (metres)",
        "{0}：需要 `threshold_min`（分钟）或 `threshold_m`（米）",
    ),
    (
        "{}: key `objective` = {}: must be \"coverage\" or \"sfca\"",
        "{0}：键 `objective` = {1}：须为 \"coverage\" 或 \"sfca\"",
    ),
    (
        "{}: key `quota_base` = {}: must be \"all\" or \"group\"",
        "{0}：键 `quota_base` = {1}：须为 \"all\" 或 \"group\"",
    ),
    ("{}: key `demand`: must not be empty (use [\"all\"])", "{0}：键 `demand`：不能为空（可用 [\"all\"]）"),
    (
        "{}: key `demand`: group {} has no share in [age_shares]",
        "{0}：键 `demand`：人群 {1} 在 [age_shares] 中没有占比",
    ),
    (
        "{}: needs `tags`, `names` or `name_kinds` to find facilities",
        "{0}：需要 `tags`、`names` 或 `name_kinds` 来识别设施",
    ),
    (
        "key `age_shares_by_year.{}`: the table name must be a year 1990–2100",
        "键 `age_shares_by_year.{0}`：表名须为 1990–2100 的年份",
    ),
    ("key `age_shares_by_year.{}.{}`: unknown age group", "键 `age_shares_by_year.{0}.{1}`：未知年龄组"),
    ("key `targets.{}`: the table name must be a year", "键 `targets.{0}`：表名须为年份"),
    ("key `targets.{}`: year out of range", "键 `targets.{0}`：年份超出范围"),
    ("tag rule {}: empty value in {}", "标签规则 {0}：{1} 中的值为空"),
    // Units.
    ("no `features` array", "没有 `features` 数组"),
    ("property `name` is missing or empty", "缺少 `name` 属性或为空"),
    (
        "property `level` = {} is not a string (e.g. \"街道\", \"社区\")",
        "属性 `level` = {0} 不是字符串（如 \"街道\"、\"社区\"）",
    ),
    (
        "property `level` is missing or empty (the unit's level: 区, 街道, 镇, 乡, 社区, 村, …)",
        "缺少 `level` 属性或为空（单元层级：区、街道、镇、乡、社区、村……）",
    ),
    ("`parent` = {} is the unit's own code", "`parent` = {0} 是该单元自身的代码"),
    // The run's console lines.
    ("invalid CSV: {}", "CSV 格式无效：{0}"),
    ("{}: use yes/no", "{0}：请填 yes/no"),
    ("{}: use yes/no (是/否, 1/0)", "{0}：请填 yes/no（是/否、1/0）"),
];

/// The kinds of folded warnings (`warnings::Warnings::add`).
pub const KINDS_ZH: &[(&str, &str)] = &[
    ("communities with zero population", "人口为零的社区"),
    (
        "communities with a fractional population of at most 3 decimals (a thousands separator read as a decimal point? 1.008 residents may be 1,008)",
        "人口为不超过 3 位小数的社区（千位分隔符被读成了小数点？1.008 人可能是 1,008 人）",
    ),
    (
        "communities off the extract (their residents are joined to the nearest street)",
        "位于 OSM 数据范围外的社区（其居民连接到最近的街道）",
    ),
    ("invalid community polygons repaired", "已修复的无效社区多边形"),
    (
        "categories without any facility although their data is declared complete (every resident counts as unserved)",
        "声明数据完整但没有任何设施的类别（全部居民计为未覆盖）",
    ),
];

/// Whole values that are short English words (not sentences), in Chinese.
pub const VALUES_ZH: &[(&str, &str)] = &[
    ("document", "文档"),
    ("header", "表头"),
    ("file", "文件"),
    ("GeoTIFF", "GeoTIFF"),
    ("area", "区域范围"),
    ("records", "记录"),
    ("coordinate system", "坐标系"),
];
