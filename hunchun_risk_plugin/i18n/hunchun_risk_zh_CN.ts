<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>hunchun_risk</name>
    <message>
        <source> (details in the log)</source>
        <translation>（详见日志）</translation>
    </message>
    <message>
        <source>1  Input data</source>
        <translation>1  输入数据</translation>
    </message>
    <message>
        <source>1:250000 city</source>
        <translation>1:25万 全市</translation>
    </message>
    <message>
        <source>1:50000 township</source>
        <translation>1:5万 乡镇</translation>
    </message>
    <message>
        <source>2  Risk zoning</source>
        <translation>2  风险区划</translation>
    </message>
    <message>
        <source>3  Evacuation and coverage</source>
        <translation>3  疏散与覆盖</translation>
    </message>
    <message>
        <source>4  Printed maps</source>
        <translation>4  专题地图</translation>
    </message>
    <message>
        <source>A file could not be read or written: {error}. If the disk is full, free space and run again. The output folder was left as it was (results are staged and moved in only when complete).</source>
        <translation>文件读写失败：{error}。如磁盘已满，请释放空间后重试。输出文件夹保持原状（结果完整后才移入）。</translation>
    </message>
    <message>
        <source>A risk model file: factors, transforms, weights or an AHP matrix, and the combination rule. Empty uses the default Hunchun model (docs/risk_zoning.md); copy and edit it to make your own.</source>
        <translation>风险模型文件：因子、变换、权重或 AHP 判断矩阵及综合规则。留空使用珲春默认模型（见 docs/risk_zoning.md），可复制后修改。</translation>
    </message>
    <message>
        <source>A township too big for the paper at 1:50000</source>
        <translation>乡镇在 1:5万下超出纸张时</translation>
    </message>
    <message>
        <source>AHP consistency ratio CR = {cr:.3f} &amp;lt; 0.10: consistent</source>
        <translation>层次分析法一致性比率 CR = {cr:.3f} &amp;lt; 0.10，通过一致性检验</translation>
    </message>
    <message>
        <source>AHP consistency ratio CR = {cr:.3f} ≥ 0.10: revise the matrix</source>
        <translation>层次分析法一致性比率 CR = {cr:.3f} ≥ 0.10，请修改判断矩阵</translation>
    </message>
    <message>
        <source>Add the synthetic Hunchun sample layers, styled, to the project</source>
        <translation>将珲春合成示例数据（已配样式）加入当前项目</translation>
    </message>
    <message>
        <source>All townships, one after another</source>
        <translation>全部乡镇（逐个）</translation>
    </message>
    <message>
        <source>Any line layer: road_class gives the default speed, speed_kmh overrides it, oneway 1/-1 is respected when driving. A geographic or non-metre CRS is reprojected to a metric one.</source>
        <translation>任意线图层：road_class 给出默认速度，speed_kmh 优先；驾车时遵守 oneway 1/-1。地理坐标或非米制坐标系会重投影到米制坐标系。</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Avoid high risk classes (from the risk zoning)</source>
        <translation>避开高风险等级区（取自风险区划）</translation>
    </message>
    <message>
        <source>Avoid the flood zones</source>
        <translation>避开洪水淹没区</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelled: nothing was written.</source>
        <translation>已取消，未写入任何结果。</translation>
    </message>
    <message>
        <source>Candidate sites for new shelters (optional)</source>
        <translation>新增避难场所候选点（可选）</translation>
    </message>
    <message>
        <source>Capacity comes from the capacity field, or from effective_area_m2 ÷ the per-person area of the shelter kind.</source>
        <translation>容量取 capacity 字段；缺失时按有效面积 ÷ 场所类型人均面积计算。</translation>
    </message>
    <message>
        <source>Capacity field</source>
        <translation>容量字段</translation>
    </message>
    <message>
        <source>Cards folder</source>
        <translation>明白卡文件夹</translation>
    </message>
    <message>
        <source>Cell size, m (0 = the scale's default)</source>
        <translation>像元大小，米（0 = 比例尺默认值）</translation>
    </message>
    <message>
        <source>Check inputs</source>
        <translation>检查输入</translation>
    </message>
    <message>
        <source>Checking the inputs</source>
        <translation>正在检查输入</translation>
    </message>
    <message>
        <source>Choose the project's layers that match the data schema</source>
        <translation>按数据规范自动选择项目中的图层</translation>
    </message>
    <message>
        <source>City 1:250000</source>
        <translation>全市 1:25万</translation>
    </message>
    <message>
        <source>City-wide (a class means the same in every township)</source>
        <translation>全市统一分级（各乡镇等级含义一致）</translation>
    </message>
    <message>
        <source>Class breaks at township scale</source>
        <translation>乡镇比例尺分级断点</translation>
    </message>
    <message>
        <source>Close roads in risk class ≥ (6 = none)</source>
        <translation>封闭风险等级 ≥ 的道路（6 = 不封闭）</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>封闭</translation>
    </message>
    <message>
        <source>Closed roads are not used at all; penalised roads cost the penalty factor times their travel time.</source>
        <translation>封闭的道路不再使用；加权的道路按惩罚系数乘以通行时间计算成本。</translation>
    </message>
    <message>
        <source>Compiled by (remembered for the next export)</source>
        <translation>编制单位（下次输出时沿用）</translation>
    </message>
    <message>
        <source>Count for the 3-hour rescue target beside the depots.</source>
        <translation>与储备库一起计入 3 小时救援目标。</translation>
    </message>
    <message>
        <source>Data sources note (empty = from the inputs)</source>
        <translation>数据来源说明（留空则按输入自动填写）</translation>
    </message>
    <message>
        <source>Date printed on the maps (empty = today)</source>
        <translation>图上编制日期（留空为今天）</translation>
    </message>
    <message>
        <source>Depot coverage</source>
        <translation>储备库覆盖</translation>
    </message>
    <message>
        <source>Depot service</source>
        <translation>储备库服务</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>Drive-time thresholds (hours, comma separated)</source>
        <translation>行车时间阈值（小时，逗号分隔）</translation>
    </message>
    <message>
        <source>Drive-time zones</source>
        <translation>行车时间分区</translation>
    </message>
    <message>
        <source>Driving</source>
        <translation>驾车</translation>
    </message>
    <message>
        <source>ERROR</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Evacuation routes</source>
        <translation>疏散路线</translation>
    </message>
    <message>
        <source>Evacuation routes to shelters</source>
        <translation>应急疏散路线</translation>
    </message>
    <message>
        <source>Evacuation scenario for the analyses run here (shipped name or TOML file; empty = everyone)</source>
        <translation>此处计算疏散时的情景（内置名称或 TOML 文件；空 = 全部人口）</translation>
    </message>
    <message>
        <source>Every road segment is closed by the hazard layers, so nobody can be routed. Raise CLOSE_FROM_CLASS, use the 'penalise' action, or check the hazard layers.</source>
        <translation>所有路段都被危险区封闭，无法规划路线。请提高 CLOSE_FROM_CLASS、改用“加权”方式，或检查危险区图层。</translation>
    </message>
    <message>
        <source>Everyone (no scenario)</source>
        <translation>全部人口（不设情景）</translation>
    </message>
    <message>
        <source>Export maps</source>
        <translation>输出地图</translation>
    </message>
    <message>
        <source>Export printed maps…</source>
        <translation>批量输出专题地图…</translation>
    </message>
    <message>
        <source>Extent (empty = the townships')</source>
        <translation>范围（留空为乡镇范围）</translation>
    </message>
    <message>
        <source>Fail when errors are found</source>
        <translation>发现错误时报错停止</translation>
    </message>
    <message>
        <source>Field map (TOML, optional)</source>
        <translation>字段映射文件（TOML，可选）</translation>
    </message>
    <message>
        <source>Find layers</source>
        <translation>查找图层</translation>
    </message>
    <message>
        <source>Fire and rescue stations (optional)</source>
        <translation>消防救援站（可选）</translation>
    </message>
    <message>
        <source>For the worst and mean drive time per township.</source>
        <translation>用于统计各乡镇的最长和平均行车时间。</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>From a wheel folder…</source>
        <translation>从离线安装包文件夹安装…</translation>
    </message>
    <message>
        <source>From the internet (PyPI)</source>
        <translation>从互联网（PyPI）安装</translation>
    </message>
    <message>
        <source>Hazard avoidance</source>
        <translation>避险</translation>
    </message>
    <message>
        <source>Hazard polygon layer must hold polygons.</source>
        <translation>危险区图层必须是面图层。</translation>
    </message>
    <message>
        <source>Hazard polygons, e.g. flood zones (optional)</source>
        <translation>危险区面，如洪水淹没区（可选）</translation>
    </message>
    <message>
        <source>Hazard-site ledger</source>
        <translation>隐患点风险台账</translation>
    </message>
    <message>
        <source>Hazard-site ledger and cards</source>
        <translation>隐患点台账与明白卡</translation>
    </message>
    <message>
        <source>How many times its travel time a penalised road costs.</source>
        <translation>加权道路的成本为其通行时间的倍数。</translation>
    </message>
    <message>
        <source>Hunchun Risk panel</source>
        <translation>珲春风险制图面板</translation>
    </message>
    <message>
        <source>Index of the maps (CSV)</source>
        <translation>地图清单（CSV）</translation>
    </message>
    <message>
        <source>Install Python packages</source>
        <translation>安装 Python 包</translation>
    </message>
    <message>
        <source>Install Python packages…</source>
        <translation>安装所需 Python 包…</translation>
    </message>
    <message>
        <source>Install the Python packages the algorithms need into this QGIS profile</source>
        <translation>将算法所需的 Python 包安装到当前 QGIS 配置文件夹</translation>
    </message>
    <message>
        <source>Installed: {packages}</source>
        <translation>已安装：{packages}</translation>
    </message>
    <message>
        <source>Installing Python packages for Hunchun Risk</source>
        <translation>正在安装珲春风险制图所需 Python 包</translation>
    </message>
    <message>
        <source>Installing Python packages in the background (progress in the task bar, pip output in the log)…</source>
        <translation>正在后台安装 Python 包（进度见任务栏，pip 输出见日志）…</translation>
    </message>
    <message>
        <source>Install…</source>
        <translation>安装…</translation>
    </message>
    <message>
        <source>Layer 'townships' has no features. Choose the layer with the township boundaries.</source>
        <translation>图层“乡镇边界 townships”没有要素。请选择包含乡镇边界的图层。</translation>
    </message>
    <message>
        <source>Layout template (.qpt; empty = the plugin's)</source>
        <translation>布局模板（.qpt；留空使用插件模板）</translation>
    </message>
    <message>
        <source>Ledger: settlements to shelters</source>
        <translation>台账：受威胁居民点至避难场所</translation>
    </message>
    <message>
        <source>Ledger: {sites} sites in {townships} townships threaten {evacuees} people ({settlements} settlements); {population_placed} placed in {shelters_used} shelters.</source>
        <translation>台账：{townships} 个乡镇 {sites} 处隐患点威胁 {evacuees} 人（{settlements} 个居民点）；已安置 {population_placed} 人，使用避难场所 {shelters_used} 处。</translation>
    </message>
    <message>
        <source>Load sample data</source>
        <translation>加载示例数据</translation>
    </message>
    <message>
        <source>Maps</source>
        <translation>地图类型</translation>
    </message>
    <message>
        <source>Maximum distance from a road (m)</source>
        <translation>距道路最大接入距离（米）</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Most new shelters to propose</source>
        <translation>建议新增避难场所上限</translation>
    </message>
    <message>
        <source>Names each settlement in the outputs.</source>
        <translation>输出中用于标识居民点的字段。</translation>
    </message>
    <message>
        <source>Names each shelter in the outputs.</source>
        <translation>输出中用于标识避难场所的字段。</translation>
    </message>
    <message>
        <source>No folder chosen: results go to a temporary folder that QGIS deletes when it closes.</source>
        <translation>未选择文件夹：结果将写入临时文件夹，QGIS 关闭时会被删除。</translation>
    </message>
    <message>
        <source>No hazard of the model has any usable input. Give at least one hazard's layers.</source>
        <translation>模型中没有任何灾种具备可用输入。请至少提供一个灾种的图层。</translation>
    </message>
    <message>
        <source>No shelter has any capacity (all are 0). Fill in capacities or effective areas.</source>
        <translation>所有避难场所容量均为 0。请填写容量或有效面积。</translation>
    </message>
    <message>
        <source>Node snap tolerance (m)</source>
        <translation>节点捕捉容差（米）</translation>
    </message>
    <message>
        <source>Nothing to print: no map kind, scale or township was chosen.</source>
        <translation>没有可输出的地图：未选择地图类型、比例尺或乡镇。</translation>
    </message>
    <message>
        <source>Number of errors</source>
        <translation>错误数</translation>
    </message>
    <message>
        <source>Number of people who must leave</source>
        <translation>需转移人数</translation>
    </message>
    <message>
        <source>Number of warnings</source>
        <translation>警告数</translation>
    </message>
    <message>
        <source>One A5 防灾避险明白卡 per site, one PDF per township, in the cards folder.</source>
        <translation>每个隐患点一张 A5 防灾避险明白卡，每个乡镇一个 PDF，写入 cards 文件夹。</translation>
    </message>
    <message>
        <source>One page at the next smaller standard scale</source>
        <translation>改用下一级标准比例尺单页输出</translation>
    </message>
    <message>
        <source>One page per 1:50000 sheet</source>
        <translation>按 1:5万图幅分页</translation>
    </message>
    <message>
        <source>Only these townships (names or codes, comma separated; empty = all)</source>
        <translation>仅输出这些乡镇（名称或代码，逗号分隔；留空为全部）</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <source>Pages written</source>
        <translation>输出页数</translation>
    </message>
    <message>
        <source>Paper (automatic: townships on A3 landscape, larger maps on the smallest A size that holds them)</source>
        <translation>纸张（自动：乡镇图用 A3 横向，较大的图用能容纳的最小 A 系列纸张）</translation>
    </message>
    <message>
        <source>Penalise roads in risk class ≥ (0 = none)</source>
        <translation>加权风险等级 ≥ 的道路（0 = 不加权）</translation>
    </message>
    <message>
        <source>Penalised</source>
        <translation>加权（绕行优先）</translation>
    </message>
    <message>
        <source>Penalty factor (travel cost ×)</source>
        <translation>惩罚系数（通行成本 ×）</translation>
    </message>
    <message>
        <source>People beyond 10 h basic aid</source>
        <translation>超出 10 小时救助的人口</translation>
    </message>
    <message>
        <source>People beyond 3 h rescue</source>
        <translation>超出 3 小时救援的人口</translation>
    </message>
    <message>
        <source>People beyond 3 h rescue: {rescue}; beyond 10 h basic aid: {aid}.</source>
        <translation>超出 3 小时救援的人口：{rescue}；超出 10 小时基本生活救助的人口：{aid}。</translation>
    </message>
    <message>
        <source>People not placed</source>
        <translation>未能安置人数</translation>
    </message>
    <message>
        <source>People placed in shelters</source>
        <translation>已安置人数</translation>
    </message>
    <message>
        <source>People to evacuate</source>
        <translation>需转移人数</translation>
    </message>
    <message>
        <source>People who must leave</source>
        <translation>需转移人员</translation>
    </message>
    <message>
        <source>Placed {population_placed} of {population_total} people ({assignment_method}); not placed: {population_unreached}.</source>
        <translation>已安置 {population_placed} / {population_total} 人（{assignment_method}）；未能安置 {population_unreached} 人。</translation>
    </message>
    <message>
        <source>Points farther than this from the nearest road are reported as unreachable instead of being joined to it.</source>
        <translation>距最近道路超过该距离的点不接入路网，并报告为无法到达。</translation>
    </message>
    <message>
        <source>Population field (empty = population)</source>
        <translation>人口字段（空 = population）</translation>
    </message>
    <message>
        <source>Prevention zones</source>
        <translation>综合防治区</translation>
    </message>
    <message>
        <source>Print the cards (PDF)</source>
        <translation>输出明白卡（PDF）</translation>
    </message>
    <message>
        <source>Printed maps</source>
        <translation>专题地图</translation>
    </message>
    <message>
        <source>Priority {priority}: {evacuees} evacuees ({vulnerable} vulnerable), {placed} placed ({placed_within_standard} within the standard), {not_placed} not placed.</source>
        <translation>优先级 {priority}：需转移 {evacuees} 人（老幼病残 {vulnerable}），已安置 {placed} 人（符合标准 {placed_within_standard}），未能安置 {not_placed} 人。</translation>
    </message>
    <message>
        <source>Processes (0 = every core)</source>
        <translation>并行进程数（0 = 全部 CPU 核）</translation>
    </message>
    <message>
        <source>Proposed field map (TOML)</source>
        <translation>建议的字段映射文件（TOML）</translation>
    </message>
    <message>
        <source>Proposed new shelters</source>
        <translation>建议新增避难场所</translation>
    </message>
    <message>
        <source>Proposed {proposed_shelters} new shelter(s) for {proposed_people} people.</source>
        <translation>建议新增避难场所 {proposed_shelters} 处，可安置 {proposed_people} 人。</translation>
    </message>
    <message>
        <source>Provenance (JSON)</source>
        <translation>来源记录（JSON）</translation>
    </message>
    <message>
        <source>Provenance record</source>
        <translation>来源记录</translation>
    </message>
    <message>
        <source>Provenance record (JSON)</source>
        <translation>来源记录（JSON）</translation>
    </message>
    <message>
        <source>Python packages installed: restart QGIS to use them.</source>
        <translation>Python 包已安装，请重启 QGIS 后使用。</translation>
    </message>
    <message>
        <source>Python packages installed; the algorithms are ready.</source>
        <translation>Python 包已安装，算法可以使用。</translation>
    </message>
    <message>
        <source>QGIS's Python interpreter was not found. Run in a terminal (OSGeo4W shell on Windows):
python "{script}"</source>
        <translation>找不到 QGIS 自带的 Python。请在终端（Windows 上为 OSGeo4W Shell）中运行：
python "{script}"</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>Relative to the township</source>
        <translation>本乡镇分级</translation>
    </message>
    <message>
        <source>Relief depots</source>
        <translation>救灾物资储备库</translation>
    </message>
    <message>
        <source>Resolution (dpi)</source>
        <translation>分辨率（dpi）</translation>
    </message>
    <message>
        <source>Results go to a temporary folder, deleted when QGIS closes: {folder}</source>
        <translation>结果写入临时文件夹，QGIS 关闭时将被删除：{folder}</translation>
    </message>
    <message>
        <source>Risk class</source>
        <translation>综合风险等级</translation>
    </message>
    <message>
        <source>Risk class raster (1–5, optional)</source>
        <translation>风险等级栅格（1–5，可选）</translation>
    </message>
    <message>
        <source>Risk classes 1–5 from Composite risk zoning: roads through high classes are closed or penalised.</source>
        <translation>综合风险区划输出的 1–5 级风险栅格：穿过高等级像元的道路被封闭或加权。</translation>
    </message>
    <message>
        <source>Risk index (0–1)</source>
        <translation>综合风险指数（0–1）</translation>
    </message>
    <message>
        <source>Risk model (*.toml)</source>
        <translation>风险模型 (*.toml)</translation>
    </message>
    <message>
        <source>Risk model (TOML; empty = default Hunchun model)</source>
        <translation>风险模型（TOML；留空为珲春默认模型）</translation>
    </message>
    <message>
        <source>Risk zones</source>
        <translation>综合风险区</translation>
    </message>
    <message>
        <source>Risk zoning</source>
        <translation>风险区划</translation>
    </message>
    <message>
        <source>Risk zoning result at {scale} (risk_zoning.gpkg; empty = run it)</source>
        <translation>{scale} 风险区划结果（risk_zoning.gpkg；留空则计算）</translation>
    </message>
    <message>
        <source>Risk, zoning, evacuation and coverage maps for the city (1:250000) and townships (1:50000)</source>
        <translation>输出全市 1:25万和各乡镇 1:5万风险图、防治区划图、疏散路线图和储备覆盖图</translation>
    </message>
    <message>
        <source>Road ends closer than this are joined into one node, mending small digitising gaps.</source>
        <translation>相距小于该距离的道路端点合并为一个节点，以修补数字化时留下的小缝隙。</translation>
    </message>
    <message>
        <source>Roads</source>
        <translation>道路</translation>
    </message>
    <message>
        <source>Roads in hazard polygons are</source>
        <translation>危险区面内道路</translation>
    </message>
    <message>
        <source>Roads touching these polygons are closed or penalised; people inside leave by the shortest way out.</source>
        <translation>触及这些面的道路被封闭或加权；面内人员按最短路径撤离。</translation>
    </message>
    <message>
        <source>Run all</source>
        <translation>全部运行</translation>
    </message>
    <message>
        <source>Run depot coverage</source>
        <translation>运行储备覆盖</translation>
    </message>
    <message>
        <source>Run evacuation</source>
        <translation>运行疏散路线</translation>
    </message>
    <message>
        <source>Run hazard ledger and cards</source>
        <translation>运行隐患点台账与明白卡</translation>
    </message>
    <message>
        <source>Run risk zoning</source>
        <translation>运行风险区划</translation>
    </message>
    <message>
        <source>Safety distance of major hazard installations</source>
        <translation>重大危险源安全距离</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>比例尺</translation>
    </message>
    <message>
        <source>Scales</source>
        <translation>比例尺</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>情景</translation>
    </message>
    <message>
        <source>Scenario (shipped name or TOML file; empty = everyone)</source>
        <translation>疏散情景（内置名称或 TOML 文件；空 = 全部人口）</translation>
    </message>
    <message>
        <source>Scenario (shipped name or TOML file; empty = {default})</source>
        <translation>疏散情景（内置名称或 TOML 文件；留空 = {default}）</translation>
    </message>
    <message>
        <source>Scenario {name} ({mode}, the scenario's travel mode): {population_evacuees} must leave; {shelters_excluded} shelter(s) excluded; shortfall {shortfall}.</source>
        <translation>情景 {name}（{mode}，按情景的出行方式）：需转移 {population_evacuees} 人；排除避难场所 {shelters_excluded} 处；缺口 {shortfall} 人。</translation>
    </message>
    <message>
        <source>Schools, squares, gyms… that could become shelters (a capacity field limits what each may take). Empty: the settlements outside every triggered zone.</source>
        <translation>可改建为避难场所的学校、广场、体育馆等（capacity 字段限制其容量）。留空：所有触发区以外的居民点。</translation>
    </message>
    <message>
        <source>Settlement drive times</source>
        <translation>居民点行车时间</translation>
    </message>
    <message>
        <source>Settlement id field (empty = code or row number)</source>
        <translation>居民点编号字段（空 = code 或行号）</translation>
    </message>
    <message>
        <source>Settlements (origins, with population)</source>
        <translation>居民点（起点，含人口）</translation>
    </message>
    <message>
        <source>Settlements (with population)</source>
        <translation>居民点（含人口）</translation>
    </message>
    <message>
        <source>Settlements not placed</source>
        <translation>未能安置的居民点</translation>
    </message>
    <message>
        <source>Shelter id field (empty = code or row number)</source>
        <translation>避难场所编号字段（空 = code 或行号）</translation>
    </message>
    <message>
        <source>Shelter load</source>
        <translation>避难场所负荷</translation>
    </message>
    <message>
        <source>Shelter shortfall per township</source>
        <translation>各乡镇避难场所缺口</translation>
    </message>
    <message>
        <source>Shelters (with capacity)</source>
        <translation>避难场所（含容量）</translation>
    </message>
    <message>
        <source>Sites in the ledger</source>
        <translation>台账隐患点数</translation>
    </message>
    <message>
        <source>Subdistricts (街道) 1:10000, with street names</source>
        <translation>街道 1:1万（含街道名称）</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Target CRS (metric)</source>
        <translation>目标坐标系（米制）</translation>
    </message>
    <message>
        <source>The bands of the drive-time zones, in hours; the default draws every class of the coverage maps.</source>
        <translation>行车时间分区的分界，单位小时；默认值与覆盖图的各级一致。</translation>
    </message>
    <message>
        <source>The extent does not overlap the townships of the study area.</source>
        <translation>指定范围与分析区域的乡镇不重叠。</translation>
    </message>
    <message>
        <source>The hazard-site ledger (one row per site: threatened people, shelter, route) and one A5 card per site, for the sites the scenario triggers (without a hazard-site scenario: geological_rainstorm).</source>
        <translation>隐患点风险台账（每个隐患点一行：威胁人数、避难场所、路线）及每个隐患点一张 A5 明白卡，按情景触发的隐患点（情景不含隐患点触发条件时用 geological_rainstorm）。</translation>
    </message>
    <message>
        <source>The ledger needs the HAZARD_SITES layer.</source>
        <translation>编制隐患点台账需要隐患点图层（HAZARD_SITES）。</translation>
    </message>
    <message>
        <source>The outputs go to a temporary folder that QGIS deletes when it closes: {folder}. Choose an output folder to keep them.</source>
        <translation>输出写入临时文件夹，QGIS 关闭时将被删除：{folder}。如需保留，请选择输出文件夹。</translation>
    </message>
    <message>
        <source>The risk index has no value inside the study area.</source>
        <translation>分析范围内风险指数没有任何有效值。</translation>
    </message>
    <message>
        <source>The settlements' field holding the number of people.</source>
        <translation>居民点图层中表示人数的字段。</translation>
    </message>
    <message>
        <source>The shelters' field holding how many people each can take.</source>
        <translation>避难场所图层中表示可容纳人数的字段。</translation>
    </message>
    <message>
        <source>The site layer has no field for: {fields} (left blank).</source>
        <translation>隐患点图层没有以下字段：{fields}（留空）。</translation>
    </message>
    <message>
        <source>The step failed; see the log.</source>
        <translation>该步骤失败，详见日志。</translation>
    </message>
    <message>
        <source>The study area covers no grid cell. Check the townships layer and the extent.</source>
        <translation>分析范围内没有任何像元。请检查乡镇边界图层和范围。</translation>
    </message>
    <message>
        <source>The townships cover no grid cell.</source>
        <translation>乡镇边界范围内没有任何像元。</translation>
    </message>
    <message>
        <source>The townships layer is required: it defines the study area.</source>
        <translation>必须提供乡镇边界图层（townships）：它界定了分析范围。</translation>
    </message>
    <message>
        <source>The whole workflow in one panel: inputs, risk zoning, evacuation, printed maps</source>
        <translation>在一个面板中完成全部流程：输入、风险区划、疏散、专题地图</translation>
    </message>
    <message>
        <source>The {layer} layer of the data schema ({name}); see the README's data schema.</source>
        <translation>数据规范中的{layer}图层（{name}），字段见 README 数据规范。</translation>
    </message>
    <message>
        <source>To install: {packages}
Into: {folder}
Tested set: {tested}</source>
        <translation>将安装：{packages}
安装到：{folder}
测试版本集：{tested}</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Township drive times</source>
        <translation>乡镇行车时间</translation>
    </message>
    <message>
        <source>Township name or code (township scale; empty = all in turn)</source>
        <translation>乡镇名称或代码（乡镇比例尺；留空为全部乡镇）</translation>
    </message>
    <message>
        <source>Township statistics</source>
        <translation>乡镇统计</translation>
    </message>
    <message>
        <source>Township statistics (CSV)</source>
        <translation>乡镇统计（CSV）</translation>
    </message>
    <message>
        <source>Townships (optional)</source>
        <translation>乡镇边界（可选）</translation>
    </message>
    <message>
        <source>Townships 1:50000</source>
        <translation>乡镇 1:5万</translation>
    </message>
    <message>
        <source>Travel mode</source>
        <translation>出行方式</translation>
    </message>
    <message>
        <source>Validation report (JSON)</source>
        <translation>检查报告（JSON）</translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Walking</source>
        <translation>步行</translation>
    </message>
    <message>
        <source>Walking ignores one-way streets; driving uses road speeds and respects them.</source>
        <translation>步行忽略单行道；驾车按道路速度并遵守单行。</translation>
    </message>
    <message>
        <source>Wheel folder</source>
        <translation>安装包文件夹</translation>
    </message>
    <message>
        <source>When the evacuation routes (or the hazard ledger) are not given, exportmaps runs them: under this scenario only the people it moves leave, as in Evacuation routes. Shipped: {names}. Ignored for results given; the maps name the scenario of the run they show.</source>
        <translation>未提供疏散路线（或隐患台账）结果时由本算法计算：按此情景只转移情景所涉人员，与“应急疏散路线”相同。内置情景：{names}。已提供的结果不受影响；地图注明其所示结果的情景。</translation>
    </message>
    <message>
        <source>Where people leave from: points or polygons with a population field.</source>
        <translation>疏散起点：含人口字段的点或面图层。</translation>
    </message>
    <message>
        <source>Where people live: each gets its nearest depot and drive time.</source>
        <translation>人口所在地：计算各自最近的储备库和行车时间。</translation>
    </message>
    <message>
        <source>Where relief comes from; stock_* fields give the stock per served person.</source>
        <translation>救灾物资出发地；stock_* 字段用于计算人均物资。</translation>
    </message>
    <message>
        <source>Where the ledger (GeoPackage + CSV for Excel), the routes, the safety zones, the cards and {provenance} go.</source>
        <translation>台账（GeoPackage 及供 Excel 使用的 CSV）、路线、安全距离、明白卡和 {provenance} 写入此文件夹。</translation>
    </message>
    <message>
        <source>Where the results go: evacuation_routes.gpkg (lines along the roads: people, distance m, time min, a flag where the shelter kind's standard is exceeded), shelter_load.gpkg (capacity, assigned, utilisation), unreached.gpkg (with the reason), the tables as CSV for Excel, styles and {provenance}.</source>
        <translation>结果写入此文件夹：evacuation_routes.gpkg（沿道路的疏散线：人数、距离、时间、超出场所类型标准的标记）、shelter_load.gpkg（容量、分配人数、利用率）、unreached.gpkg（含原因），以及供 Excel 使用的 CSV、样式和{provenance}。</translation>
    </message>
    <message>
        <source>Which field of your layers is which schema field, when the automatic match (schema name, the Chinese names census data use, 10-character shapefile names) is not enough: one table per layer, e.g. [townships] then population = "常住人口". Wins over the automatic match. Validate input layers proposes one. See docs/your_own_data.md.</source>
        <translation>当自动匹配（规范字段名、普查数据常用的中文字段名、shapefile 10 字符截断名）不够时，指定图层中哪个字段对应规范字段：每个图层一个表，例如 [townships] 下写 population = "常住人口"。优先于自动匹配。“检查输入数据”可生成此文件。见 docs/your_own_data.md。</translation>
    </message>
    <message>
        <source>Which sites' people leave and where they may go; it needs a hazard-site trigger. Shipped: {names}.</source>
        <translation>哪些隐患点的群众需转移、可去哪些场所；须含隐患点触发条件。内置情景：{names}。</translation>
    </message>
    <message>
        <source>Who must leave and where they may go. Shipped: {names}. Empty moves everyone to the nearest shelter with room.</source>
        <translation>哪些人需要转移、可去哪些场所。内置情景：{names}。留空则全部人口疏散到最近的有余量场所。</translation>
    </message>
    <message>
        <source>With a risk class raster: roads through cells of this class or higher are closed.</source>
        <translation>使用风险等级栅格时：穿过该等级及以上像元的道路被封闭。</translation>
    </message>
    <message>
        <source>With a risk class raster: roads through cells of this class or higher cost more, so routes avoid them.</source>
        <translation>使用风险等级栅格时：穿过该等级及以上像元的道路成本提高，路线尽量绕开。</translation>
    </message>
    <message>
        <source>With a scenario: how many candidate sites may be proposed (0 = no proposal).</source>
        <translation>有情景时：最多建议的候选点数（0 = 不建议）。</translation>
    </message>
    <message>
        <source>Writes a FIELD_MAP file for the given layers: every schema field with the field matched to it, the unmatched ones commented out with the layer's fields to choose from. Check it, complete it, and give it as FIELD_MAP to any algorithm.</source>
        <translation>为所给图层生成字段映射文件：列出每个规范字段及其匹配到的字段，未匹配的以注释列出并附图层现有字段。核对、补全后作为 FIELD_MAP 参数用于任一算法。</translation>
    </message>
    <message>
        <source>default Hunchun model</source>
        <translation>珲春默认模型</translation>
    </message>
    <message>
        <source>folder made by make wheelhouse</source>
        <translation>make wheelhouse 生成的文件夹</translation>
    </message>
    <message>
        <source>none (untested environment)</source>
        <translation>无（未测试环境）</translation>
    </message>
    <message>
        <source>weights given directly (no AHP)</source>
        <translation>直接给定权重（未用层次分析法）</translation>
    </message>
    <message>
        <source>{count} maps written to {folder}</source>
        <translation>已输出 {count} 幅地图到 {folder}</translation>
    </message>
    <message>
        <source>{errors} error(s), {warnings} warning(s).</source>
        <translation>{errors} 个错误，{warnings} 个警告。</translation>
    </message>
    <message>
        <source>{layer}; empty = run it</source>
        <translation>{layer}；留空则计算</translation>
    </message>
    <message>
        <source>{severity}: {message}</source>
        <translation>{severity}：{message}</translation>
    </message>
    <message>
        <source>{step} failed</source>
        <translation>{step}失败</translation>
    </message>
    <message>
        <source>{step}…</source>
        <translation>{step}…</translation>
    </message>
    <message>
        <source>{summary} See the log (Processing) for each layer and field.</source>
        <translation>{summary} 各图层和字段的问题见日志（Processing）。</translation>
    </message>
</context>
</TS>
