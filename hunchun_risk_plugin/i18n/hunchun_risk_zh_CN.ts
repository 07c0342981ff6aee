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
        <source>A township too big for the paper at 1:50000</source>
        <translation>乡镇在 1:5万下超出纸张时</translation>
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
        <source>Compiled by (remembered for the next export)</source>
        <translation>编制单位（下次输出时沿用）</translation>
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
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>Drive-time thresholds (hours, comma separated)</source>
        <translation>行车时间阈值（小时，逗号分隔）</translation>
    </message>
    <message>
        <source>Driving</source>
        <translation>驾车</translation>
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
        <source>Hazard polygons, e.g. flood zones (optional)</source>
        <translation>危险区面，如洪水淹没区（可选）</translation>
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
        <source>Layout template (.qpt; empty = the plugin's)</source>
        <translation>布局模板（.qpt；留空使用插件模板）</translation>
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
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Most new shelters to propose</source>
        <translation>建议新增避难场所上限</translation>
    </message>
    <message>
        <source>No folder chosen: results go to a temporary folder that QGIS deletes when it closes.</source>
        <translation>未选择文件夹：结果将写入临时文件夹，QGIS 关闭时会被删除。</translation>
    </message>
    <message>
        <source>Node snap tolerance (m)</source>
        <translation>节点捕捉容差（米）</translation>
    </message>
    <message>
        <source>Number of errors</source>
        <translation>错误数</translation>
    </message>
    <message>
        <source>Number of warnings</source>
        <translation>警告数</translation>
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
        <translation>需转移人数</translation>
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
        <source>Processes (0 = every core)</source>
        <translation>并行进程数（0 = 全部 CPU 核）</translation>
    </message>
    <message>
        <source>Proposed field map (TOML)</source>
        <translation>建议的字段映射文件（TOML）</translation>
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
        <source>Risk class</source>
        <translation>综合风险等级</translation>
    </message>
    <message>
        <source>Risk class raster (1–5, optional)</source>
        <translation>风险等级栅格（1–5，可选）</translation>
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
        <source>Risk, zoning, evacuation and coverage maps for the city (1:250000) and townships (1:50000)</source>
        <translation>输出全市 1:25万和各乡镇 1:5万风险图、防治区划图、疏散路线图和储备覆盖图</translation>
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
        <source>Run risk zoning</source>
        <translation>运行风险区划</translation>
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
        <source>Shelter id field (empty = code or row number)</source>
        <translation>避难场所编号字段（空 = code 或行号）</translation>
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
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Target CRS (metric)</source>
        <translation>目标坐标系（米制）</translation>
    </message>
    <message>
        <source>The step failed; see the log.</source>
        <translation>该步骤失败，详见日志。</translation>
    </message>
    <message>
        <source>The whole workflow in one panel: inputs, risk zoning, evacuation, printed maps</source>
        <translation>在一个面板中完成全部流程：输入、风险区划、疏散、专题地图</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
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
        <source>Walking</source>
        <translation>步行</translation>
    </message>
    <message>
        <source>Wheel folder</source>
        <translation>安装包文件夹</translation>
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
</context>
</TS>
