#!/usr/bin/env python3
"""Rebuild data/china/expressways.csv from the table in this script.

The table below (LINES) is the single source of truth: China's national
trunk expressways of the 7918 / 71118 plan, plus a few national highways
where Tibet has no expressway, each as the ordered list of the cities of
data/china/cities.csv that it passes.  The facts are public (the national
highway network plans of 2004 and 2013, and the Wikipedia articles
"Expressways of China" and "National Trunk Highway System"); the table was
written by hand from them.  It lists only cities the line is known to pass,
in order; cities it passes near but not through, and stretches with no city
of the table within 600 km, are left out (see data/README.md).

Needs only the Python standard library.  Run from anywhere:

    python3 data/scripts/build_expressways.py

Options: --out PATH writes elsewhere; --check compares with the file
instead of writing it (exit status 1 if it differs).

Checks before writing:
  - every city exists in data/china/cities.csv; a city written without a
    province ("Tangshan") must be the only city of that name in China, else
    it must be written "Suzhou/Anhui";
  - line codes are unique, kinds are known, each line has at least two
    cities and no city twice in a row;
  - consecutive cities on a line are less than MAX_STEP_KM apart (great
    circle), which catches ordering mistakes;
  - every provincial-level division of mainland China is on some line.

The output is deterministic: the same table gives the same bytes.
"""

import argparse
import csv
import io
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CITIES = os.path.normpath(os.path.join(HERE, "..", "china", "cities.csv"))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "china", "expressways.csv"))

MAX_STEP_KM = 600.0
KINDS = ("expressway", "national_highway")

# (line, name, kind, cities in order).  A city is its `name_pinyin`, with
# "/Province" where the name is not unique in China.
LINES = [
    # --- The 7 radial lines from Beijing -----------------------------------
    ("G1", "Beijing–Harbin Expressway", "expressway",
     "Beijing, Tangshan, Qinhuangdao, Huludao, Jinzhou/Liaoning, Shenyang, "
     "Tieling, Siping, Changchun, Harbin"),
    ("G2", "Beijing–Shanghai Expressway", "expressway",
     "Beijing, Langfang, Tianjin, Cangzhou, Dezhou, Jinan, Tai'an, Linyi, "
     "Huai'an, Yangzhou, Jiangyin, Wuxi, Suzhou/Jiangsu, Kunshan, Shanghai"),
    ("G3", "Beijing–Taipei Expressway", "expressway",
     "Beijing, Tianjin, Cangzhou, Dezhou, Jinan, Tai'an, Qufu, Zoucheng, "
     "Tengzhou, Zaozhuang, Xuzhou, Suzhou/Anhui, Bengbu, Hefei, Tongling, "
     "Huangshan, Quzhou, Nanping, Fuzhou/Fujian"),
    ("G4", "Beijing–Hong Kong–Macau Expressway", "expressway",
     "Beijing, Zhuozhou, Baoding, Dingzhou, Shijiazhuang, Xingtai, Handan, "
     "Anyang, Hebi, Xinxiang, Zhengzhou, Xuchang, Luohe, Zhumadian, Xinyang, "
     "Xiaogan, Wuhan, Xianning, Chibi, Yueyang, Miluo, Changsha, Xiangtan, "
     "Zhuzhou, Hengyang, Leiyang, Chenzhou, Shaoguan, Yingde, Guangzhou, "
     "Dongguan, Shenzhen"),
    ("G5", "Beijing–Kunming Expressway", "expressway",
     "Beijing, Baoding, Shijiazhuang, Yangquan, Taiyuan, Jiexiu, Huozhou, "
     "Linfen, Houma, Hejin, Hancheng, Xi'an, Hanzhong, Guangyuan, Mianyang, "
     "Deyang, Chengdu, Ya'an, Xichang, Panzhihua, Kunming"),
    # West of Xining the line crosses 600+ km with no city of the table.
    ("G6", "Beijing–Lhasa Expressway", "expressway",
     "Beijing, Zhangjiakou, Ulanqab, Hohhot, Baotou, Bayannur, Wuhai, "
     "Shizuishan, Yinchuan, Zhongwei, Baiyin, Lanzhou, Haidong, Xining"),
    # Shares G6 to Linhe (Bayannur); the desert section through Ejina to
    # Hami has no city of the table within 600 km, so the table stops here.
    ("G7", "Beijing–Ürümqi Expressway", "expressway",
     "Beijing, Zhangjiakou, Ulanqab, Hohhot, Baotou, Bayannur"),
    # --- North–south lines ---------------------------------------------------
    ("G11", "Hegang–Dalian Expressway", "expressway",
     "Hegang, Jiamusi, Jixi, Mudanjiang, Dunhua, Tonghua, Dandong, "
     "Zhuanghe, Dalian"),
    # Includes the Bohai Strait (Dalian–Yantai) and Qiongzhou Strait
    # (Zhanjiang–Haikou) ferries.
    ("G15", "Shenyang–Haikou Expressway", "expressway",
     "Shenyang, Liaoyang, Anshan, Haicheng, Yingkou, Gaizhou, Wafangdian, "
     "Dalian, Yantai, Qingdao, Rizhao, Lianyungang, Yancheng, Nantong, "
     "Changshu, Taicang, Shanghai, Cixi, Ningbo, Taizhou/Zhejiang, Wenzhou, "
     "Fuding, Ningde, Fuzhou/Fujian, Putian, Quanzhou, Xiamen, Zhangzhou, "
     "Shantou, Shanwei, Huizhou, Shenzhen, Dongguan, Jiangmen, Kaiping, "
     "Yangjiang, Maoming, Zhanjiang, Haikou"),
    ("G25", "Changchun–Shenzhen Expressway", "expressway",
     "Changchun, Fuxin, Chaoyang/Liaoning, Chengde, Tangshan, Tianjin, "
     "Huanghua, Binzhou/Shandong, Qingzhou, Linyi, Lianyungang, Huai'an, "
     "Nanjing, Liyang, Yixing, Huzhou, Hangzhou, Jinhua, Lishui, Nanping, "
     "Sanming, Longyan, Meizhou, Heyuan, Huizhou, Shenzhen"),
    ("G35", "Jinan–Guangzhou Expressway", "expressway",
     "Jinan, Heze, Shangqiu, Bozhou, Fuyang, Lu'an, Anqing, Jingdezhen, "
     "Yingtan, Ruijin, Xingning, Guangzhou"),
    ("G45", "Daqing–Guangzhou Expressway", "expressway",
     "Daqing, Songyuan, Shuangliao, Tongliao, Chifeng, Chengde, Beijing, "
     "Bazhou/Hebei, Hengshui, Puyang, Kaifeng, Zhoukou, Huangshi, Xinyu, "
     "Ji'an/Jiangxi, Ganzhou, Guangzhou"),
    ("G55", "Erenhot–Guangzhou Expressway", "expressway",
     "Erenhot, Ulanqab, Datong, Shuozhou, Xinzhou, Taiyuan, Changzhi, "
     "Jincheng, Jiyuan, Luoyang, Ruzhou, Nanyang, Xiangyang, Jingmen, "
     "Jingzhou, Changde, Yiyang, Loudi, Shaoyang, Yongzhou, Lianzhou, Sihui, "
     "Guangzhou"),
    ("G65", "Baotou–Maoming Expressway", "expressway",
     "Baotou, Ordos, Yulin/Shaanxi, Yan'an, Tongchuan, Xi'an, Ankang, "
     "Dazhou, Chongqing, Jishou, Huaihua, Guilin, Wuzhou, Maoming"),
    ("G75", "Lanzhou–Haikou Expressway", "expressway",
     "Lanzhou, Longnan/Gansu, Guangyuan, Nanchong, Chongqing, Zunyi, "
     "Guiyang, Duyun, Hechi, Nanning, Qinzhou"),
    ("G85", "Yinchuan–Kunming Expressway", "expressway",
     "Chongqing, Neijiang, Yibin, Shuifu, Zhaotong, Kunming"),
    # --- East–west lines -----------------------------------------------------
    ("G10", "Suifenhe–Manzhouli Expressway", "expressway",
     "Suifenhe, Mudanjiang, Hailin, Shangzhi, Harbin, Daqing, Qiqihar, "
     "Yakeshi, Hulunbuir, Manzhouli"),
    ("G12", "Hunchun–Ulanhot Expressway", "expressway",
     "Hunchun, Tumen, Yanji, Dunhua, Jiaohe, Jilin, Changchun, Songyuan, "
     "Baicheng, Ulanhot"),
    ("G16", "Dandong–Xilinhot Expressway", "expressway",
     "Dandong, Haicheng, Panjin, Jinzhou/Liaoning, Chaoyang/Liaoning, "
     "Chifeng, Xilinhot"),
    ("G18", "Rongcheng–Wuhai Expressway", "expressway",
     "Rongcheng, Weihai, Yantai, Dongying, Huanghua, Tianjin, Bazhou/Hebei, "
     "Baoding, Ordos, Wuhai"),
    ("G20", "Qingdao–Yinchuan Expressway", "expressway",
     "Qingdao, Weifang, Zibo, Jinan, Shijiazhuang, Yangquan, Taiyuan, "
     "Lüliang, Yinchuan"),
    ("G22", "Qingdao–Lanzhou Expressway", "expressway",
     "Qingdao, Tai'an, Liaocheng, Handan, Changzhi, Linfen, Qingyang, "
     "Pingliang, Dingxi, Lanzhou"),
    ("G30", "Lianyungang–Khorgas Expressway", "expressway",
     "Lianyungang, Xuzhou, Shangqiu, Kaifeng, Zhengzhou, Luoyang, Sanmenxia, "
     "Lingbao, Huayin, Weinan, Xi'an, Xianyang, Baoji, Tianshui, Dingxi, "
     "Lanzhou, Wuwei/Gansu, Zhangye, Jiuquan, Jiayuguan, Yumen, Hami, "
     "Turpan, Urumqi, Changji, Shihezi, Kuytun, Wusu, Horgos"),
    ("G36", "Nanjing–Luoyang Expressway", "expressway",
     "Nanjing, Chuzhou, Bengbu, Fuyang, Zhoukou, Luohe, Pingdingshan, Luoyang"),
    ("G40", "Shanghai–Xi'an Expressway", "expressway",
     "Shanghai, Nantong, Yangzhou, Nanjing, Hefei, Lu'an, Xinyang, Nanyang, "
     "Shangluo, Xi'an"),
    ("G42", "Shanghai–Chengdu Expressway", "expressway",
     "Shanghai, Suzhou/Jiangsu, Wuxi, Changzhou, Zhenjiang, Nanjing, Hefei, "
     "Lu'an, Macheng, Wuhan, Jingmen, Yichang, Dazhou, Nanchong, Chengdu"),
    ("G50", "Shanghai–Chongqing Expressway", "expressway",
     "Shanghai, Huzhou, Guangde, Xuancheng, Anqing, Wuxue, Huanggang, Wuhan, "
     "Jingzhou, Yichang, Enshi, Lichuan, Chongqing"),
    ("G56", "Hangzhou–Ruili Expressway", "expressway",
     "Hangzhou, Huangshan, Jingdezhen, Yueyang, Changde, Jishou, "
     "Zunyi, Bijie, Kunming, Chuxiong, Dali, Baoshan, Mangshi, Ruili"),
    ("G60", "Shanghai–Kunming Expressway", "expressway",
     "Shanghai, Jiaxing, Hangzhou, Zhuji, Yiwu, Jinhua, Lanxi, Quzhou, "
     "Shangrao, Yingtan, Nanchang, Zhangshu, Xinyu, Yichun/Jiangxi, "
     "Pingxiang/Jiangxi, Liling, Zhuzhou, Xiangtan, Shaoyang, Huaihua, Kaili, "
     "Guiyang, Anshun, Qujing, Kunming"),
    ("G70", "Fuzhou–Yinchuan Expressway", "expressway",
     "Fuzhou/Fujian, Nanping, Shaowu, Fuzhou/Jiangxi, Nanchang, Jiujiang, "
     "Huangshi, Ezhou, Wuhan, Xiaogan, Suizhou, Xiangyang, Shiyan, Shangluo, "
     "Xi'an, Xianyang, Binzhou/Shaanxi, Pingliang, Guyuan, Zhongwei, "
     "Yinchuan"),
    ("G72", "Quanzhou–Nanning Expressway", "expressway",
     "Quanzhou, Ganzhou, Guilin, Liuzhou, Nanning"),
    ("G76", "Xiamen–Chengdu Expressway", "expressway",
     "Xiamen, Zhangzhou, Longyan, Ruijin, Ganzhou, Chenzhou, Guilin, Duyun, "
     "Guiyang, Bijie, Luzhou, Longchang, Neijiang, Chengdu"),
    ("G78", "Shantou–Kunming Expressway", "expressway",
     "Shantou, Jieyang, Meizhou, Shaoguan"),
    ("G80", "Guangzhou–Kunming Expressway", "expressway",
     "Guangzhou, Foshan, Zhaoqing, Yunfu, Wuzhou, Guigang, Nanning, Baise, "
     "Kunming"),
    # --- Regional lines --------------------------------------------------------
    ("G98", "Hainan Ring Expressway", "expressway",
     "Haikou, Qionghai, Wanning, Sanya, Dongfang, Danzhou, Haikou"),
    ("G3012", "Turpan–Hotan Expressway", "expressway",
     "Turpan, Korla, Kuqa, Aksu, Kashgar, Hotan"),
    # --- National highways where there is no expressway ------------------------
    ("G109", "China National Highway 109 (Nagqu–Lhasa)", "national_highway",
     "Nagqu, Lhasa"),
    ("G214", "China National Highway 214 (Xining–Qamdo)", "national_highway",
     "Xining, Qabqa, Yushu/Qinghai, Qamdo"),
    ("G317", "China National Highway 317 (Chengdu–Nagqu)", "national_highway",
     "Chengdu, Dujiangyan, Barkam, Qamdo, Nagqu"),
    ("G318", "China National Highway 318 (Nyingchi–Shigatse)", "national_highway",
     "Nyingchi, Lhasa, Shigatse"),
]

MAINLAND = {
    "Beijing", "Tianjin", "Hebei", "Shanxi", "Inner Mongolia", "Liaoning",
    "Jilin", "Heilongjiang", "Shanghai", "Jiangsu", "Zhejiang", "Anhui",
    "Fujian", "Jiangxi", "Shandong", "Henan", "Hubei", "Hunan", "Guangdong",
    "Guangxi", "Hainan", "Chongqing", "Sichuan", "Guizhou", "Yunnan", "Tibet",
    "Shaanxi", "Gansu", "Qinghai", "Ningxia", "Xinjiang",
}


def haversine_km(a, b):
    """Great-circle distance on a sphere of radius 6371.0088 km (as servnet)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def load_cities(path):
    by_name = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            by_name.setdefault(row["name_pinyin"], []).append(
                (row["province"], float(row["lon"]), float(row["lat"])))
    return by_name


def resolve(spec, by_name, line, errors):
    name, _, province = spec.partition("/")
    found = by_name.get(name, [])
    if province:
        found = [c for c in found if c[0] == province]
    if len(found) == 1:
        return name, found[0]
    if not found:
        errors.append(f"{line}: no city `{spec}` in cities.csv")
    else:
        where = ", ".join(sorted(c[0] for c in found))
        errors.append(f"{line}: `{spec}` is ambiguous ({where}); write Name/Province")
    return None


def build(by_name):
    errors = []
    rows = []
    seen_lines = set()
    provinces = set()
    for line, name, kind, cities in LINES:
        if line in seen_lines:
            errors.append(f"{line}: line code used twice")
        seen_lines.add(line)
        if kind not in KINDS:
            errors.append(f"{line}: unknown kind `{kind}`")
        specs = [s.strip() for s in cities.split(",")]
        if len(specs) < 2:
            errors.append(f"{line}: fewer than two cities")
        prev = None
        for seq, spec in enumerate(specs):
            got = resolve(spec, by_name, line, errors)
            if got is None:
                prev = None
                continue
            city, (province, lon, lat) = got
            if prev is not None:
                if prev[0] == (city, province):
                    errors.append(f"{line}: `{spec}` twice in a row")
                step = haversine_km(prev[1], (lon, lat))
                if step >= MAX_STEP_KM:
                    errors.append(
                        f"{line}: {prev[0][0]} -> {city} is {step:.0f} km "
                        f"(limit {MAX_STEP_KM:.0f})")
            prev = ((city, province), (lon, lat))
            provinces.add(province)
            rows.append((line, name, kind, seq, city, province))
    missing = sorted(MAINLAND - provinces)
    if missing:
        errors.append("provinces on no line: " + ", ".join(missing))
    return rows, errors


def render(rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["line", "name", "kind", "seq", "city", "province"])
    for r in rows:
        w.writerow(r)
    return out.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true",
                    help="compare with the file instead of writing it")
    args = ap.parse_args()
    rows, errors = build(load_cities(CITIES))
    if errors:
        for e in errors:
            print("error:", e, file=sys.stderr)
        return 2
    text = render(rows)
    if args.check:
        with open(args.out, encoding="utf-8", newline="") as f:
            same = f.read() == text
        print(f"{args.out}: {'up to date' if same else 'differs from the table'}")
        return 0 if same else 1
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    kinds = {k: sum(1 for l in LINES if l[2] == k) for k in KINDS}
    print(f"wrote {args.out}: {len(LINES)} lines "
          f"({kinds['expressway']} expressway, {kinds['national_highway']} "
          f"national highway), {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
