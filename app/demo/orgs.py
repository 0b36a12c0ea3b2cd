"""The demo organisations (fictional, except the public universities) and the operation centers.

Each row: name, kind, industries (codes below), region, patent weight (how many patents it
owns relative to the others), short description. Industry codes: C carbon materials,
Q high-end equipment, N new-energy vehicles, I IT innovation, S semiconductors, T special
steel, H hydrogen, V energy saving & environment, B biomedicine.
"""

from __future__ import annotations

from datetime import date

INDUSTRY_CODES = {
    "C": "carbon_materials", "Q": "high_end_equipment", "N": "new_energy_vehicles", "I": "it_innovation",
    "S": "semiconductors", "T": "special_steel", "H": "hydrogen", "V": "energy_environment", "B": "biomedicine",
}

# region -> (administrative division code used in credit codes, streets for addresses)
REGIONS: dict[str, tuple[str, list[str]]] = {
    "太原市小店区": ("140105", ["长治路", "坞城路", "学府街", "南中环街", "体育路", "平阳路"]),
    "太原市迎泽区": ("140106", ["迎泽大街", "解放南路", "并州路", "五一路", "建设南路"]),
    "太原市杏花岭区": ("140107", ["府西街", "胜利街", "北大街", "新建路"]),
    "太原市尖草坪区": ("140108", ["兴华街", "柏杨树街", "新兰路", "学院路", "胜利北街"]),
    "太原市万柏林区": ("140109", ["千峰南路", "和平南路", "长风西街", "迎泽西大街", "玉门河路"]),
    "太原市晋源区": ("140110", ["晋祠路", "义井街", "化章街", "长兴南街"]),
    "太原市清徐县": ("140121", ["美锦北街", "徐沟大街", "开发区西环路"]),
    "山西转型综合改革示范区": ("140100", ["正阳街", "龙盛街", "科技街", "产业路", "潇河大道", "武洛街"]),
    "太原市": ("140100", ["府西街"]),
}

ENTERPRISE, UNIVERSITY, INSTITUTE, SME, AGENCY = "enterprise", "university", "research_institute", "sme", "agency"
ASSOCIATION = "association"

# Key organisations the fixed demo users belong to.
PLATFORM_ORG = "太原产业知识产权联盟交易平台运营有限公司"
BUREAU_ORG = "太原市市场监督管理局（知识产权局）"
KEY_ENTERPRISE = "山西晋材碳谷新材料股份有限公司"
KEY_UNIVERSITY = "太原理工大学"
KEY_SME = "太原市锂想新能源材料有限公司"
KEY_AGENCY = "山西晋知专利代理事务所（普通合伙）"
EXPERT_UNIVERSITY = "中北大学"

# name, kind, industries, region, patent weight, description[, address]
ORGS: list[tuple] = [
    # universities (real public universities)
    ("太原理工大学", UNIVERSITY, "CQNSI", "太原市万柏林区", 15,
     "山西省属重点大学，国家“双一流”建设高校，在煤基碳材料、矿山机械、新材料和电气工程等领域具有学科优势。", "迎泽西大街79号"),
    ("中北大学", UNIVERSITY, "SQIN", "太原市尖草坪区", 9,
     "以工为主的多科性大学，在微纳器件、仪器科学、先进制造和化工材料方面特色鲜明。", "学院路3号"),
    ("山西大学", UNIVERSITY, "ISC", "太原市小店区", 7,
     "山西省综合性重点大学，在光学与光电、量子信息、计算机科学和化学化工领域有较强研究实力。", "坞城路92号"),
    ("太原科技大学", UNIVERSITY, "QTN", "太原市万柏林区", 7,
     "以重型机械为特色的工科大学，在冶金装备、起重运输机械和轨道交通装备领域具有传统优势。", "窊流路66号"),
    ("太原工业学院", UNIVERSITY, "CQI", "太原市尖草坪区", 3,
     "应用型本科高校，在化学工程、材料工程和智能制造方面开展产学研合作。", "新兰路31号"),
    # research institutes (fictional)
    ("山西省碳材料工程技术研究院", INSTITUTE, "C", "山西转型综合改革示范区", 6,
     "从事煤基碳材料、石墨烯和碳纤维工程化技术研究与中试转化的省级研发机构。"),
    ("太原煤基低碳技术研究所", INSTITUTE, "CV", "太原市万柏林区", 4,
     "聚焦煤炭清洁转化、煤基多孔碳和二氧化碳资源化利用的研究机构。"),
    ("太原智能矿山装备研究院", INSTITUTE, "QI", "太原市万柏林区", 5,
     "围绕智能综采、掘进装备和矿山物联网开展共性技术研发。"),
    ("山西轨道交通装备技术研究院", INSTITUTE, "Q", "太原市晋源区", 3,
     "从事重载货车、城轨车辆关键部件和轻量化结构研究。"),
    ("山西新能源汽车工程技术研究院", INSTITUTE, "NH", "山西转型综合改革示范区", 4,
     "开展动力电池、电驱动和整车热管理技术研究及检测服务。"),
    ("山西信创产业技术研究院", INSTITUTE, "I", "山西转型综合改革示范区", 4,
     "面向党政、能源和金融行业开展国产软硬件适配验证和信息安全研究。"),
    ("山西第三代半导体技术创新研究院", INSTITUTE, "S", "山西转型综合改革示范区", 5,
     "围绕碳化硅、氮化镓材料与器件开展关键技术攻关和公共平台服务。"),
    ("太原特种金属材料研究所", INSTITUTE, "TQ", "太原市尖草坪区", 3,
     "从事不锈钢、特种合金和金属材料热处理工艺研究。"),
    ("山西氢能与燃料电池研究院", INSTITUTE, "HN", "太原市清徐县", 2,
     "开展焦炉煤气制氢、燃料电池电堆和储氢技术研究。"),
    # enterprises (fictional)
    (KEY_ENTERPRISE, ENTERPRISE, "C", "山西转型综合改革示范区", 18,
     "碳基新材料龙头企业，主营石墨烯导热膜、碳纤维及复合材料、煤系针状焦，国家高新技术企业、省级企业技术中心。"),
    ("太原宏碳纤维科技有限公司", ENTERPRISE, "C", "太原市清徐县", 6, "专业生产聚丙烯腈基碳纤维原丝和T700级碳纤维。"),
    ("山西晋阳炭素有限公司", ENTERPRISE, "CT", "太原市尖草坪区", 5, "生产超高功率石墨电极和等静压石墨，配套钢铁企业电弧炉炼钢。"),
    ("太原清源石墨烯科技有限公司", ENTERPRISE, "C", "太原市小店区", 4, "从事石墨烯粉体、导电浆料和散热膜的研发与生产。"),
    ("山西龙城针状焦材料有限公司", ENTERPRISE, "C", "太原市清徐县", 4, "以煤焦油沥青为原料生产煤系针状焦及锂电负极材料。"),
    ("山西汾源炭黑化工有限公司", ENTERPRISE, "C", "太原市清徐县", 3, "生产橡胶用炭黑和导电炭黑，配套尾气发电。"),
    ("太原重型装备科技有限公司", ENTERPRISE, "QT", "太原市万柏林区", 12, "重型机械装备制造企业，产品涵盖起重设备、轧钢设备、锻压设备和矿山采掘设备。"),
    ("山西晋煤智能采掘装备有限公司", ENTERPRISE, "Q", "山西转型综合改革示范区", 8, "主营大功率滚筒采煤机、掘进机和智能化工作面成套装备。"),
    ("太原中轨交通装备有限公司", ENTERPRISE, "Q", "太原市晋源区", 6, "生产铁路货车、城轨车辆转向架和车钩缓冲装置。"),
    ("山西汾河液压机械有限公司", ENTERPRISE, "Q", "太原市小店区", 5, "专业生产煤矿液压支架、立柱千斤顶和电液控制系统。"),
    ("太原精工数控装备有限公司", ENTERPRISE, "QI", "太原市小店区", 3, "从事数控机床、工业机器人集成和智能产线改造。"),
    ("山西晋源新能源汽车有限公司", ENTERPRISE, "N", "山西转型综合改革示范区", 10, "新能源整车企业，生产纯电动乘用车和电动重卡，具备电池包和电驱系统集成能力。"),
    ("太原锂动力电池科技有限公司", ENTERPRISE, "NC", "山西转型综合改革示范区", 8, "主营磷酸铁锂动力电池电芯、模组和储能电池系统。"),
    ("山西并州电驱动系统有限公司", ENTERPRISE, "NS", "太原市小店区", 5, "研发生产永磁同步电机、电机控制器和三合一电驱动总成。"),
    ("太原绿程热管理技术有限公司", ENTERPRISE, "N", "太原市万柏林区", 3, "提供新能源汽车热泵空调、电子水泵和电池热管理方案。"),
    ("山西晋安充电科技有限公司", ENTERPRISE, "N", "太原市迎泽区", 3, "建设运营公共充电站和重卡换电站，生产直流充电桩。"),
    ("太原晋云信息技术股份有限公司", ENTERPRISE, "I", "山西转型综合改革示范区", 9, "信创整机与解决方案提供商，主营国产化服务器、终端和政务云平台。"),
    ("山西龙腾信创计算机有限公司", ENTERPRISE, "I", "山西转型综合改革示范区", 5, "生产基于国产处理器的台式机、笔记本和服务器。"),
    ("太原汾湖数据库软件有限公司", ENTERPRISE, "I", "太原市小店区", 4, "自主研发分布式关系型数据库和数据同步中间件。"),
    ("山西晋盾信息安全技术有限公司", ENTERPRISE, "I", "太原市杏花岭区", 4, "提供商用密码产品、等级保护测评和网络安全运营服务。"),
    ("太原智矿云数据科技有限公司", ENTERPRISE, "IQ", "太原市万柏林区", 3, "面向煤矿提供工业互联网平台、视频AI识别和数字孪生系统。"),
    ("山西晋芯碳化硅半导体有限公司", ENTERPRISE, "S", "山西转型综合改革示范区", 10, "从事导电型和半绝缘型碳化硅衬底、外延片的研发与生产。"),
    ("太原华晶氮化镓科技有限公司", ENTERPRISE, "S", "山西转型综合改革示范区", 5, "研发氮化镓外延片和射频、功率器件。"),
    ("山西晶能宽禁带材料有限公司", ENTERPRISE, "S", "太原市清徐县", 4, "生产高纯碳化硅粉料、长晶炉热场部件和石墨坩埚。"),
    ("太原芯瑞功率器件有限公司", ENTERPRISE, "SN", "太原市小店区", 5, "设计和封装碳化硅MOSFET、肖特基二极管及车规级功率模块。"),
    ("山西中宇光电半导体有限公司", ENTERPRISE, "S", "太原市小店区", 3, "生产深紫外LED芯片和光电检测器件。"),
    ("太原晋钢特种不锈钢有限公司", ENTERPRISE, "TQ", "太原市尖草坪区", 8, "特种不锈钢生产企业，主营超纯铁素体、双相不锈钢和精密带钢。"),
    ("山西太行精密带钢有限公司", ENTERPRISE, "T", "太原市尖草坪区", 3, "生产精密不锈钢带和电池外壳用钢带。"),
    ("山西晋氢能源科技有限公司", ENTERPRISE, "HN", "太原市清徐县", 3, "利用焦炉煤气制氢，研发燃料电池电堆和氢燃料重卡动力系统。"),
    ("太原蓝天节能环保科技有限公司", ENTERPRISE, "VC", "太原市小店区", 2, "提供工业余热回收、烟气脱硫脱硝和固废资源化利用方案。"),
    ("山西汾康生物医药有限公司", ENTERPRISE, "B", "山西转型综合改革示范区", 0, "从事中药配方颗粒和生物制剂的研发与生产。"),
    # small and micro enterprises (fictional)
    (KEY_SME, SME, "NC", "太原市小店区", 2, "从事锂电池负极材料和导电剂的小批量生产与定制开发。"),
    ("太原鑫碳新材料科技有限公司", SME, "C", "太原市清徐县", 1, "生产石墨烯改性涂料和导热硅脂。"),
    ("太原恒锐机电设备有限公司", SME, "Q", "太原市万柏林区", 2, "为煤矿提供采掘设备配件加工和维修服务。"),
    ("山西众诚液压件有限公司", SME, "Q", "太原市晋源区", 1, "生产液压油缸、阀块和密封件。"),
    ("太原迅捷电池回收科技有限公司", SME, "N", "太原市清徐县", 1, "从事退役动力电池梯次利用和再生回收。"),
    ("山西码上通软件开发有限公司", SME, "I", "山西转型综合改革示范区", 1, "开发政务协同办公和数据治理软件。"),
    ("太原微芯检测技术有限公司", SME, "S", "山西转型综合改革示范区", 1, "提供半导体材料和器件的分析检测服务。"),
    ("太原智行车联科技有限公司", SME, "NI", "太原市小店区", 1, "开发车载终端、车联网平台和充电运营软件。"),
    ("山西晋安矿山安全科技有限公司", SME, "QI", "太原市万柏林区", 2, "生产矿用传感器、监测监控系统和人员定位设备。"),
    ("太原德润碳素制品有限公司", SME, "C", "太原市尖草坪区", 1, "生产石墨模具、石墨舟和碳毡等炭素制品。"),
    ("太原鼎盛轨道配件有限公司", SME, "Q", "太原市晋源区", 1, "加工铁路货车制动梁、车钩配件和橡胶弹簧。"),
    ("山西云栖数据服务有限公司", SME, "I", "太原市杏花岭区", 1, "提供数据中心运维、等保整改和数据备份服务。"),
    ("太原博远电子科技有限公司", SME, "SN", "太原市小店区", 1, "设计电源管理芯片应用方案，生产车载DC-DC电源模块。"),
    ("山西新锐热工装备有限公司", SME, "CS", "太原市清徐县", 1, "制造石墨化炉、碳化炉等高温热工装备。"),
    ("太原宏达精密铸造有限公司", SME, "QT", "太原市晋源区", 1, "生产耐磨铸件、截齿和刮板输送机配件。"),
    ("山西天成电控技术有限公司", SME, "N", "太原市万柏林区", 1, "生产电动车辆控制器和电池管理系统从控板。"),
    ("太原耀光电子有限公司", SME, "S", "太原市尖草坪区", 1, "封装LED器件和紫外杀菌模组。"),
    ("山西安泰网络安全技术有限公司", SME, "I", "太原市迎泽区", 1, "提供终端安全管理软件和安全运维服务。"),
    ("太原泰和氢能装备有限公司", SME, "H", "太原市清徐县", 1, "生产电解水制氢设备部件和加氢站阀门。"),
    ("太原金源绿色建材有限公司", SME, "V", "太原市清徐县", 0, "利用煤矸石和粉煤灰生产新型墙体材料。"),
    # IP service agencies (fictional)
    (KEY_AGENCY, AGENCY, "CQN", "太原市小店区", 0, "提供专利申请代理、专利布局和无效宣告代理服务，现有专利代理师12名。"),
    ("太原市科创专利代理有限公司", AGENCY, "QI", "太原市杏花岭区", 0, "从事发明专利申请、复审和专利检索服务。"),
    ("山西华智知识产权代理有限公司", AGENCY, "NS", "山西转型综合改革示范区", 0, "提供专利导航、专利预警和高价值专利培育服务。"),
    ("太原龙城专利商标事务所有限公司", AGENCY, "CI", "太原市迎泽区", 0, "提供专利、商标代理及知识产权法律咨询。"),
    ("山西汇众知识产权服务有限公司", AGENCY, "QS", "太原市小店区", 0, "开展专利价值评估、质押融资咨询和技术转移服务。"),
    ("太原知联知识产权运营有限公司", AGENCY, "CNI", "山西转型综合改革示范区", 0, "提供专利许可转让撮合、专利池运营和技术经纪服务。"),
    ("山西鼎信专利评估咨询有限公司", AGENCY, "SI", "太原市万柏林区", 0, "从事专利价值分析、知识产权尽职调查和侵权风险分析。"),
    ("山西三晋知识产权促进中心", AGENCY, "QN", "太原市杏花岭区", 0, "民办非企业单位，开展知识产权培训、政策宣讲和维权援助服务。"),
    # industry associations (fictional; the alliances' industry organisations, task 6)
    ("太原市碳基新材料产业协会", ASSOCIATION, "C", "太原市万柏林区", 0, "由碳基新材料企业、高校和科研院所组成的社会团体，组织行业标准研讨和供需对接。"),
    ("太原市信息技术应用创新产业联合会", ASSOCIATION, "I", "太原市小店区", 0, "信创企业和用户单位的行业组织，开展适配测试交流和产业链协作。"),
]

# industry, center name, approval date, founders, higher targets (None = the default rule), description
CENTERS: list[tuple] = [
    ("carbon_materials", "太原市碳基新材料产业知识产权运营中心", date(2023, 4, 18),
     [KEY_ENTERPRISE, "太原理工大学", "山西省碳材料工程技术研究院"], [25, 33, 43, 56, 73],
     "聚焦石墨烯、碳纤维、针状焦和煤基多孔碳等碳基新材料领域，建设产业专利数据库，开展专利导航、高价值专利培育和专利池运营。"),
    ("high_end_equipment", "太原市高端装备制造产业知识产权运营中心", date(2023, 10, 26),
     ["太原重型装备科技有限公司", "太原科技大学", "山西汇众知识产权服务有限公司"], None,
     "围绕煤矿综采装备、轨道交通装备和重型机械，提供专利预警、专利导航和技术转移服务。"),
    ("new_energy_vehicles", "太原市新能源汽车产业知识产权运营中心", date(2024, 5, 16),
     ["山西晋源新能源汽车有限公司", "太原锂动力电池科技有限公司", "山西新能源汽车工程技术研究院"], None,
     "服务动力电池、电驱动、热管理和充换电产业链，组建新能源汽车专利池，推动专利许可和产业化。"),
    ("it_innovation", "太原市信创产业知识产权运营中心", date(2024, 12, 19),
     ["太原晋云信息技术股份有限公司", "山西大学"], None,
     "面向国产操作系统、数据库、服务器和信息安全领域，开展专利分析、标准与专利协同和高价值专利培育。"),
    ("semiconductors", "太原市第三代半导体产业知识产权运营中心", date(2025, 7, 10),
     ["山西晋芯碳化硅半导体有限公司", "中北大学", "山西第三代半导体技术创新研究院"], None,
     "围绕碳化硅、氮化镓衬底、外延、器件和封装，建设产业专利数据库并推动海外专利布局。"),
]

CENTER_EN = {
    "carbon_materials": "Taiyuan Carbon-Based New Materials IP Operation Center Co., Ltd.",
    "high_end_equipment": "Taiyuan High-End Equipment IP Operation Center Co., Ltd.",
    "new_energy_vehicles": "Taiyuan New Energy Vehicle IP Operation Center Co., Ltd.",
    "it_innovation": "Taiyuan IT Innovation IP Operation Center Co., Ltd.",
    "semiconductors": "Taiyuan Third-Generation Semiconductor IP Operation Center Co., Ltd.",
}
UNIVERSITY_EN = {
    "太原理工大学": "Taiyuan University of Technology", "中北大学": "North University of China",
    "山西大学": "Shanxi University", "太原科技大学": "Taiyuan University of Science and Technology",
    "太原工业学院": "Taiyuan Institute of Technology",
}

# Organisations outside the center industries join the nearest alliance.
ALLIANCE_FOR = {
    "carbon_materials": "carbon_materials", "high_end_equipment": "high_end_equipment",
    "new_energy_vehicles": "new_energy_vehicles", "it_innovation": "it_innovation", "semiconductors": "semiconductors",
    "special_steel": "high_end_equipment", "hydrogen": "new_energy_vehicles", "energy_environment": "carbon_materials",
}

# Technical focus (vocab topic keys) of organisations whose description names it; the others
# get two or three topics of their industries at random.
FOCUS: dict[str, list[str]] = {
    KEY_ENTERPRISE: ["graphene", "carbon_fibre", "needle_coke"],
    "太原宏碳纤维科技有限公司": ["carbon_fibre"],
    "山西晋阳炭素有限公司": ["needle_coke", "sic_ceramic", "steel"],
    "太原清源石墨烯科技有限公司": ["graphene"],
    "山西龙城针状焦材料有限公司": ["needle_coke", "porous_carbon"],
    "山西汾源炭黑化工有限公司": ["carbon_black"],
    "太原重型装备科技有限公司": ["heavy", "shearer", "conveyor", "steel"],
    "山西晋煤智能采掘装备有限公司": ["shearer", "roadheader", "conveyor"],
    "太原中轨交通装备有限公司": ["rail"],
    "山西汾河液压机械有限公司": ["support"],
    "山西晋源新能源汽车有限公司": ["pack", "edrive", "thermal"],
    "太原锂动力电池科技有限公司": ["cathode", "pack", "bms", "porous_carbon"],
    "山西并州电驱动系统有限公司": ["edrive", "module"],
    "太原绿程热管理技术有限公司": ["thermal"],
    "山西晋安充电科技有限公司": ["charging"],
    "太原晋云信息技术股份有限公司": ["server", "cloud", "os"],
    "山西龙腾信创计算机有限公司": ["server", "os"],
    "太原汾湖数据库软件有限公司": ["db"],
    "山西晋盾信息安全技术有限公司": ["security"],
    "太原智矿云数据科技有限公司": ["cloud", "shearer"],
    "山西晋芯碳化硅半导体有限公司": ["sic_substrate", "epitaxy"],
    "太原华晶氮化镓科技有限公司": ["gan", "epitaxy"],
    "山西晶能宽禁带材料有限公司": ["sic_substrate"],
    "太原芯瑞功率器件有限公司": ["sic_mosfet", "module", "edrive"],
    "山西中宇光电半导体有限公司": ["inspection"],
    KEY_SME: ["cathode", "porous_carbon"],
}
