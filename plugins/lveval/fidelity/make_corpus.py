#!/usr/bin/env python3
"""The LV-Eval fidelity corpus: writes `cases.json` (standard library only).

Every case is invented: a dataset, a prediction, the row's `answers` and
(unless absent) `answer_keywords`, and a note saying what edge it hits.
Ids are `<dataset>/<n>`, numbered per dataset in order of appearance.
`make_golden_reference.py` scores the cases with the reference code.

    python3 plugins/lveval/fidelity/make_corpus.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
C = []
def case(ds, pred, answers, kw="__absent__", note=""):
    c = {"id": f"{ds}/{sum(1 for x in C if x['dataset']==ds)}", "dataset": ds, "prediction": pred, "answers": answers}
    if kw != "__absent__":
        c["answer_keywords"] = kw
    if note: c["note"] = note
    C.append(c)

H = "hotpotwikiqa_mixup"
ans = ["Mayor Dana Fell of Port-Quillan", "Vance", "the harbour council"]
kw = "Mayor Dana Fell Port-Quillan"
case(H, "Mayor Dana Fell of Port-Quillan", ans, kw, "exact first answer")
case(H, "Vance", ans, kw, "equals the second answer: first only")
case(H, "the harbour council", ans, kw, "equals the third answer")
case(H, "Dana Fell", ["Ilse Varga", "Dana Fell"], "Ilse Varga", "right name but not the first answer's keywords")
case(H, "the mayor", ans, "mayor of the northern harbour town", "1 of 5 keyword tokens passes (0.2)")
case(H, "the mayor", ans, "mayor of the northern harbour old town", "1 of 6 fails")
case(H, "of and the to in", ans, "of and in to was", "overlap in stop words only")
case(H, "Mayor Dana Fell", ans, "", "empty keywords: no gate")
case(H, "Mayor Dana Fell", ans, None, "null keywords: no gate")
case(H, "Mayor Dana Fell", ans, note="missing keywords: no gate")
case(H, "Mayor Dana Fell", ans, "The.", "keywords normalise to nothing: ZeroDivisionError")
case(H, "Dana", ans, "a an the", "keywords all articles: ZeroDivisionError")
case(H, "Port Quillan", ["Port-Quillan"], "Port-Quillan", "hyphen deleted, not spaced")
case(H, "12400 people", ["12,400"], "12,400", "comma deleted")
case(H, "O'Reilly's book", ["O’Reilly’s book"], "book", "curly apostrophe survives")
case(H, "the’s meaning", ["meaning"], "meaning", "article before a curly apostrophe")
case(H, "yes yes", ["yes"], "yes", "repeated tokens")
case(H, "", ans, kw, "empty prediction")
case(H, "The answer is: Mayor Dana Fell, who governs Port-Quillan and the surrounding villages since 1998, according to passage 3.", ans, kw, "verbose")
case(H, "Café Noël", ["café noël"], "Café", "accents and case")
case(H, "\n\tMayor  Dana\u00a0Fell \n", ans, kw, "whitespace noise incl. NBSP")
case(H, "PARIS", ["Paris"], "Paris", "upper case")
case(H, "1,923", ["1923"], "1923", "digits")
case(H, "Answer: Mayor Dana Fell of Port-Quillan.", ans, kw, "label and period")
case(H, "théâtre", ["the atre"], "atre", "the inside a word")
case(H, "An apple a day", ["apple day"], "apple", "articles removed")
case(H, "In 1923", ["in 1923"], "in 1923", "stop word in keywords counts in the denominator")
case(H, "1923", ["in 1923"], "in 1923", "recall 1/2")
case(H, "Vance", ans, "", "second answer, no keywords: first only (reference) vs best (corrected)")
L = "loogle_SD_mixup"
case(L, "The treaty was signed in Lisbon in 1911.", ["Lisbon, 1911"], "Lisbon 1911", "loogle")
case(L, "Lisbon", ["Lisbon, 1911"], "Lisbon 1911")
case(L, "Madrid", ["Lisbon, 1911"], "Lisbon 1911")
case("loogle_CR_mixup", "because the river flooded twice", ["The river flooded twice that spring"], "river flooded twice", "loogle CR")
case("loogle_MIR_mixup", "three", ["Three of them"], "three", "loogle MIR")
case("multifieldqa_en_mixup", "a blue-green alga", ["blue-green algae"], "blue-green algae", "multifieldqa_en")
case("multifieldqa_en_mixup", "It is unknown.", ["blue-green algae"], "blue-green algae")
F = "factrecall_en"
case(F, "David Beckham", ["David Beckham"], "David Beckham", "factrecall exact")
case(F, "Beckham", ["David Beckham"], "David Beckham", "partial, no gate")
case(F, "", ["David Beckham"], "David Beckham", "empty")
case(F, "The ultimate scientist is David Beckham.", ["David Beckham"], "David Beckham", "verbose")
case(F, "Albert Einstein", ["David Beckham"], "David Beckham", "wrong")

Z = "multifieldqa_zh_mixup"
case(Z, "他出生于1923年", ["1923年"], "1923年", "年 blacklisted: recall 0.5")
case(Z, "五十万元", ["五十万元"], "万元", "only keyword blacklisted")
case(Z, "C", ["C"], "C", "c blacklisted")
case(Z, "杭州西湖", ["杭州西湖边的小镇"], "杭州 西湖 小镇 南边 老街", "2 of 5 keyword words passes (0.4); spaces in keywords dropped")
case(Z, "杭州西湖", ["杭州西湖边的小镇"], "杭州 西湖 小镇 南边 老街 石桥", "2 of 6 fails")
case(Z, "海潮集", ["《海潮集》"], "《海潮集》", "《 is not in the punctuation list")
case(Z, "《海潮集》", ["《海潮集》"], "海潮集")
case(Z, "三万吨", ["三万吨货物"], "", "empty keywords: fall back to the answer")
case(Z, "三万吨", ["三万吨货物"], None, "null keywords: fall back")
case(Z, "三万吨", ["三万吨货物"], note="missing keywords: fall back")
case(Z, "红色", ["深红色"], "深红色", "one jieba word")
case(Z, "五十万", ["五十万元"], "五十万元")
case(Z, "韩立", ["韩立明"], "韩立明")
case(Z, "１９２３年", ["1923年"], "1923年", "full-width digits stay")
case(Z, "好的", ["好的"], "。", "keywords all punctuation: ZeroDivisionError")
case(Z, "好的", ["。"], "", "empty keywords and all-punctuation answer: ZeroDivisionError")
case(Z, "GPT-4模型", ["GPT-4模型"], "GPT-4", "mixed English")
case(Z, "他 在 北京 工作", ["他在北京工作"], "北京", "spaces in the prediction")
case(Z, "", ["北京"], "北京", "empty prediction")
case(Z, "臺灣的夜市", ["台湾的夜市"], "夜市", "traditional vs simplified")
case(Z, "根据文章内容，这位老人年轻时曾经在沙漠里种下了一千多棵树，后来他把这些树都送给了村里的年轻人。", ["他在沙漠里种了一千多棵树"], "沙漠 一千多棵树", "long answer")
case("cmrc_mixup", "北京大学", ["北京大学", "北大"], "北京大学", "cmrc exact")
case("cmrc_mixup", "北大", ["北京大学", "北大"], "北京大学", "equals the second answer")
case("cmrc_mixup", "清华大学", ["北京大学"], "北京大学", "wrong")
case("cmrc_mixup", "北大", ["北京大学", "北大"], "", "second answer, empty keywords: each answer is its own keywords")
case("lic_mixup", "张三丰创立了武当派", ["张三丰"], "张三丰", "lic")
case("lic_mixup", "令狐冲", ["张三丰"], "张三丰")
case("lic_mixup", "是的", ["是的，可以。"], "可以", "keyword blacklisted")
FZ = "factrecall_zh"
case(FZ, "贝克汉姆", ["贝克汉姆"], "贝克汉姆", "factrecall_zh exact")
case(FZ, "大卫贝克汉姆", ["贝克汉姆"], "贝克汉姆", "partial")
case(FZ, "", ["贝克汉姆"], "贝克汉姆", "empty")
case(FZ, "爱因斯坦", ["贝克汉姆"], "贝克汉姆", "wrong")
D = "dureader_mixup"
case(D, "北京是中国的首都", ["北京是中国的首都"], "", "identical: 0.999999995")
case(D, "北京是首都", ["北京是中国的首都，也是政治文化中心。"], "", "partial")
case(D, "", ["北京是中国的首都"], "", "empty prediction: raises, 0")
case(D, "是的和", ["是的，可以。"], "", "both all blacklisted (3+ tokens): match")
case(D, "是的，可以这样做。", ["是的，可以。"], "", "superset of an all-blacklisted answer: 0")
case(D, "北京北京北京", ["北京"], "", "repeats")
case(D, "首先要准备材料，然后按照说明书一步一步安装，最后检查是否牢固。", ["准备好材料后按说明书安装，并检查牢固程度。"], "", "typical")
case(D, "可以用Python或者C++编写", ["可以使用Python编写"], "", "English inside")
case(D, "第一步\n第二步", ["第一步，第二步"], "", "newline")
case(D, "的", ["北京"], "", "prediction only a blacklisted word")
case(D, "好", ["的"], "", "answer only one blacklisted word")
case(D, "这个问题的答案取决于具体情况。", ["这个问题的答案取决于具体情况。"], "", "identical sentence")
long_ans = "长期熬夜会对身体造成很大伤害，" * 12 + "所以要早睡早起。"
case(D, long_ans, [long_ans], "", "long identical")
case(D, "早睡早起身体好", [long_ans], "", "short vs long")


def main():
    with open(os.path.join(HERE, "cases.json"), "w", encoding="utf-8") as f:
        json.dump({"cases": C}, f, ensure_ascii=False, indent=1)
    print(f"wrote {len(C)} cases")


if __name__ == "__main__":
    main()
