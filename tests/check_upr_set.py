#!/usr/bin/env python3
"""Check the UPR question sets against the corpus, with no project code.

    python3 check.py [--corpus DIR] [--verbose]

Answerable set (upr-reports.jsonl):
  - every line is a JSON object with id, question, answers, tags, split; ids unique across both files;
  - every answer quote is found in its doc_id, the way the project finds quotes (words separated by any
    run of whitespace), after decoding the file as Mac Roman with CR/CRLF turned into LF;
  - reports how often each quote occurs in its document and in the whole collection (1 is the aim;
    more is reported, not an error);
  - the year:/country: tags agree with the doc_id of the first answer.
Unanswerable set (upr-unanswerable.jsonl):
  - answers is an empty list;
  - every probe in PROBES (regexes for the names, years and events that would answer the question)
    matches nothing in its scope ("*" = all 262 reports, or a list of doc_ids that must exist).
Prints counts per theme, split, cycle and the reports covered; exits 1 on any error.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "eval" / "upr"  # the question sets it checks
# ../shared/corpora/upr-wg-reports beside the checkout.
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "upr-wg-reports"

# For each unanswerable question: (regex, scope) pairs that must match nothing. Case-insensitive unless
# the regex starts with "CS:". These record what was searched to make sure the collection does not answer.
PROBES = {
    'upr-u01': [
        ('held its \\w+ session from [^.]*2013', ['kazakhstan2010', 'kazakhstan2014']),
        ('review of Kazakhstan was held[^.]*2013', ['kazakhstan2010', 'kazakhstan2014']),
    ],
    'upr-u02': [
        ('\\b2022\\b', ['kazakhstan2010', 'kazakhstan2014']),
        ('Almaty[^.]{0,200}2022|2022[^.]{0,200}Almaty', '*'),
        ('Almaty[^.]{0,100}(protest|rall|demonstrat|detain)|(protest|rall|demonstrat'
         '|detain)[^.]{0,100}Almaty'
         , ['kazakhstan2010', 'kazakhstan2014']),
    ],
    'upr-u03': [
        ('\\b2019\\b', ['kazakhstan2010', 'kazakhstan2014']),
        ('third (cycle|review|universal periodic)', ['kazakhstan2010', 'kazakhstan2014']),
    ],
    'upr-u04': [
        ('Azimova[^.]{0,120}(Ombudsman|Commissioner)|(Ombudsman'
         '|Commissioner)[^.]{0,120}Azimova'
         , '*'),
    ],
    'upr-u05': [
        ('\\b2015\\b', ['guinea2010', 'guinea2014']),
        ('second (cycle|review|universal periodic)', ['guinea2010', 'guinea2014']),
    ],
    'upr-u06': [
        ('\\b2013\\b', ['russia2009']),
    ],
    'upr-u07': [
        ('\\b2013\\b', ['china2009']),
    ],
    'upr-u08': [
        ('\\b2013\\b', ['cuba2009']),
    ],
    'upr-u09': [
        ('\\b2013\\b', ['germany2009']),
    ],
    'upr-u10': [
        ('\\b2013\\b', ['saudiarabia2009']),
    ],
    'upr-u11': [
        ('\\b2015\\b', ['unitedstatesofamerica2011']),
        ('second (cycle|review|universal periodic)', ['unitedstatesofamerica2011']),
    ],
    'upr-u12': [
        ('\\b2013\\b', ['tuvalu2009']),
    ],
    'upr-u13': [
        ('\\b2015\\b', ['kiribati2010']),
    ],
    'upr-u14': [
        ('Brexit|leav(e|ing) the European Union|withdrawal from the European Union', '*'),
        ('\\b2017\\b', ['unitedkingdom2008', 'unitedkingdom2012']),
    ],
    'upr-u15': [
        ('\\b2019\\b', ['albania2010', 'albania2014']),
    ],
    'upr-u16': [
        ('review of (the Republic of )?South Sudan'
         '|delegation of (the Republic of )?South Sudan'
         '|support of (the Republic of )?South Sudan|South Sudan was headed'
         , '*'),
    ],
    'upr-u17': [
        ('review of (the Republic of )?South Sudan'
         '|enjoy the support of (the Republic of )?South Sudan'
         '|State under review[^.]{0,40}South Sudan'
         , '*'),
    ],
    'upr-u18': [
        ('review of the Holy See|delegation of the Holy See was headed'
         '|support of the Holy See'
         , '*'),
        ('recommend[^.]{0,30}that the Holy See|the Holy See (should|accept|reject|receive)'
         '|Holy See[^.]{0,200}clerical|clerical[^.]{0,200}Holy See'
         , '*'),
    ],
    'upr-u19': [
        ('review of (the State of )?Palestine|delegation of (the State of )?Palestine'
         '|support of (the State of )?Palestine'
         , '*'),
    ],
    'upr-u20': [
        ('review of Kosovo|delegation of Kosovo|Kosovo[^.]{0,40}Serb community'
         '|Serb community[^.]{0,40}Kosovo'
         , '*'),
    ],
    'upr-u21': [
        ('Taiwan[^.]{0,150}(death penalty|capital punishment|execution)|(death penalty'
         '|capital punishment|execution)[^.]{0,150}Taiwan'
         , '*'),
        ('review of Taiwan', '*'),
    ],
    'upr-u22': [
        ('\\b2017\\b', ['myanmar2011']),
        ('Cox.s Bazar', '*'),
    ],
    'upr-u23': [
        ('CS:\\bEaster\\b', ['srilanka2008', 'srilanka2012']),
        ('\\b2019\\b', ['srilanka2008', 'srilanka2012']),
        ('church(es)? bomb|bomb[^.]{0,40}church', '*'),
    ],
    'upr-u24': [
        ('2015 Constitution|Constitution of 2015|Constitution[^.]{0,60}2015'
         '|2015[^.]{0,60}Constitution'
         , ['nepal2011']),
        ('promulgat', ['nepal2011']),
    ],
    'upr-u25': [
        ('\\b2016\\b', ['colombia2009']),
        ('peace agreement|final agreement|peace accord', ['colombia2009']),
        ('Havana', ['colombia2009']),
    ],
    'upr-u26': [
        ('marriage equality|equal marriage|referendum[^.]{0,80}marriage'
         '|marriage[^.]{0,80}referendum'
         , ['ireland2011']),
        ('\\b2015\\b', ['ireland2011']),
    ],
    'upr-u27': [
        ('Mugabe', '*'),
        ('\\b2017\\b', ['zimbabwe2011']),
    ],
    'upr-u28': [
        ('\\b2020\\b', ['belarus2010']),
        ('Minsk[^.]{0,100}(protest|demonstrat|detain)|(protest|demonstrat'
         '|detain)[^.]{0,100}Minsk'
         , ['belarus2010']),
    ],
    'upr-u29': [
        ('National Security Law', ['china2009']),
        ('Hong Kong[^.]{0,150}(arrest|detain)[^.]{0,60}journalist'
         '|journalist[^.]{0,100}Hong Kong'
         , ['china2009']),
    ],
    'upr-u30': [
        ('\\b2017\\b', ['mexico2009']),
    ],
    'upr-u31': [
        ('(drown|died|deaths?|lost their lives|perished)[^.]{0,150}2015'
         '|2015[^.]{0,150}(drown|died|deaths?|lost their lives|perished)'
         , ['italy2010', 'italy2014']),
        ('(drown|died|deaths?)[^.]{0,80}(Mediterranean|at sea)[^.]{0,40}2015', '*'),
    ],
    'upr-u32': [
        ('Rabaa|Rabi.a al|Adawiya', '*'),
        ('dispers[^.]{0,80}sit-in|sit-in[^.]{0,80}dispers', ['egypt2010', 'egypt2014']),
    ],
    'upr-u33': [
        ('Barrow', '*'),
    ],
    'upr-u34': [
        ('\\b2021\\b', ['tunisia2008', 'tunisia2012']),
        ('\\bSaied\\b|Kais Sa|suspen[^.]{0,40}parliament|parliament[^.]{0,40}suspen', ['tunisia2008', 'tunisia2012']),
    ],
    'upr-u35': [
        ('annex(ation|ed)[^.]{0,40}Crimea|Crimea[^.]{0,40}annex(ation|ed)|occupied'
         '|occupation'
         , ['ukraine2008', 'ukraine2012']),
        ('\\b2014\\b', ['ukraine2008', 'ukraine2012']),
    ],
    'upr-u36': [
        ('Ismayilova', '*'),
        ('Khadija[^.]{0,40}Ismay', '*'),
    ],
    'upr-u37': [
        ('Bialiatski|Byalyatski|Bialatski|Beliatski|Viasna|Vyasna', '*'),
    ],
    'upr-u38': [
        ('Liu Xiaobo|Xiaobo|Nobel', '*'),
    ],
    'upr-u39': [
        ('Kozlov|Zhanaozen|Zhanaozen|Janaozen|Zhanaozen|Mangystau|Mangistau', '*'),
    ],
    'upr-u40': [
        ('Zhanaozen|Janaozen|Zhanaozen|Mangystau|Mangistau', '*'),
        ('oil workers|December 2011', ['kazakhstan2010', 'kazakhstan2014']),
    ],
    'upr-u41': [
        ('Rikers', '*'),
    ],
    'upr-u42': [
        ('city court|regional court|district court', ['uzbekistan2009']),
    ],
    'upr-u43': [
        ('Khashoggi', '*'),
    ],
    'upr-u44': [
        ('Chibok|Boko Haram', '*'),
    ],
    'upr-u45': [
        ('Bishkek', '*'),
        ('detention cent(re|er) No', ['kyrgysztan2010']),
    ],
    'upr-u46': [
        ('Ebola', ['sierraleone2011']),
    ],
    'upr-u47': [
        ('Marielle|Franco\\b', ['brazil2008', 'brazil2012']),
    ],
    'upr-u48': [
        ('Duterte', '*'),
        ('war on drugs|drug war', ['philippines2008', 'philippines2012']),
    ],
    'upr-u49': [
        ('Andaman', '*'),
        ('\\b2015\\b', ['thailand2011']),
    ],
    'upr-u50': [
        ('\\b2013\\b', ['rwanda2011']),
    ],
    'upr-u51': [
        ('\\b2016\\b', ['tajikistan2011']),
        ('Special Rapporteur on [^.]{0,80}(expression|opinion)[^.]{0,80}visit'
         '|visit[^.]{0,80}Special Rapporteur on [^.]{0,80}(expression|opinion)'
         , ['tajikistan2011']),
    ],
    'upr-u52': [
        ('\\b2019\\b', ['botswana2009']),
        ('High Court[^.]{0,120}(same-sex|homosexual|sodomy|sexual orientation|unnatural)', ['botswana2009']),
    ],
    'upr-u53': [
        ('same-sex marriage|equal marriage|marriage equality', ['costarica2010', 'costarica2014']),
        ('in 2020|May 2020', ['costarica2010', 'costarica2014']),
    ],
    'upr-u54': [
        ('\\b2019\\b', ['kiribati2010']),
        ('Kiribati had (ratified|acceded)[^.]{0,80}(Torture|CAT)|(ratified'
         '|acceded to)[^.]{0,40}(Convention against Torture|CAT)[^.]{0,40}(in|on) (19'
         '|20)\\d\\d'
         , ['kiribati2010']),
    ],
    'upr-u55': [
        ('\\b2016\\b', ['turkey2010']),
        ('coup', ['turkey2010']),
    ],
    'upr-u56': [
        ('\\b2019\\b', ['democraticpeoplesrepublicofkorea2010', 'democraticpeoplesrepublicofkorea2014']),
        ('third (cycle|review|universal periodic)'
         , ['democraticpeoplesrepublicofkorea2010', 'democraticpeoplesrepublicofkorea2014']),
    ],
    'upr-u57': [
        ('minaret[^.]{0,200}(per ?cent|%|\\bvot|ballot|majority)|(per ?cent|%|\\bvot|ballot'
         '|majority)[^.]{0,200}minaret'
         , ['switzerland2012']),
        ('57[.,]5|November 2009', ['switzerland2012']),
    ],
    'upr-u58': [
        ('301[^.]{0,200}\\b\\d+ (cases|prosecutions|persons|people|individuals'
         '|investigations|convictions|journalists)|\\b\\d+ (cases|prosecutions|persons'
         '|people|individuals|investigations|convictions|journalists)[^.]{0,200}301'
         , ['turkey2010']),
    ],
    'upr-u59': [
        ('(died|dead|deaths?|drowned|lost their lives|perished|victims|missing|bodies'
         '|killed)[^.]{0,150}(Lampedusa|shipwreck|sinking|capsiz)|(Lampedusa|shipwreck'
         '|sinking|capsiz)[^.]{0,150}(died|dead|deaths?|drowned|lost their lives|perished'
         '|victims|missing|bodies|killed)'
         , '*'),
        ('3 October 2013|shipwreck|capsiz|\\bsank\\b|sinking', ['italy2014']),
    ],
    'upr-u60': [
        ('Bahati', '*'),
        ('(introduced|tabled|sponsored|proposed|moved) by[^.]{0,60}(member|Hon\\.|Mr\\.|MP)'
         '|Homosexuality Bill[^.]{0,100}(introduced|tabled) (in|on)'
         , ['uganda2011']),
    ],
    'upr-u61': [
        ('Politkovskaya[^.]{0,250}(acquit|verdict|jury|sentenc|convict|guilty)|(acquit'
         '|verdict|jury|sentenc|convict|guilty)[^.]{0,250}Politkovskaya'
         , '*'),
        ('acquit|Makhmudov|Khadzhikurbanov|Ryaguzov', ['russia2009']),
    ],
    'upr-u62': [
        ('Le Quoc Quan[^.]{0,200}(sentenc|years|months|tax evasion|convict|imprisonment'
         '|jail)|(sentenc|years|months|tax evasion|convict|imprisonment'
         '|jail)[^.]{0,200}Le Quoc Quan'
         , '*'),
        ('30 months|thirty months|tax evasion', ['vietnam2014']),
    ],
    'upr-u63': [
        ('Taliban|Tehrik|\\bTTP\\b', ['pakistan2012']),
        ('Malala[^.]{0,200}(claimed|responsib|militant|extremist|armed group|attacker|gunm'
         '|terrorist)|(claimed|militant|extremist|armed group|attacker|gunm'
         '|terrorist)[^.]{0,200}Malala'
         , '*'),
    ],
    'upr-u64': [
        ('Khawaja[^.]{0,250}(life|\\d+ years|sentenced|sentences? (to|of)'
         '|national safety court|military court)|(life|\\d+ years|sentenced|sentences? (to'
         '|of))[^.]{0,250}Khawaja'
         , '*'),
        ('life (imprisonment|sentence)|sentenced to life', ['bahrain2012']),
    ],
    'upr-u65': [
        ('Andij?an[^.]{0,250}(\\b\\d+ (people|persons|civilians|dead|individuals|victims)'
         '|killed|died|deaths|dead|death toll|casualt|lost their lives)|(\\b\\d+ (people'
         '|persons|civilians|dead|individuals|victims)|killed|died|deaths|dead|death toll'
         '|casualt|lost their lives)[^.]{0,250}Andij?an'
         , '*'),
        ('\\b187\\b', ['uzbekistan2009']),
    ],
    'upr-u66': [
        ('death row[^.]{0,150}\\b\\d|\\b\\d[\\d,]* (prisoners|persons|people|inmates'
         '|individuals|men|women|foreign nationals)[^.]{0,100}death row'
         , ['unitedstatesofamerica2011']),
        ('\\b\\d+ (executions|persons were executed|people were executed'
         '|prisoners were executed)|executed \\d+'
         , ['unitedstatesofamerica2011']),
    ],
    'upr-u67': [
        ('16 December|(judgment|judgement|ruling|decision|Court)[^.]{0,100}December 2010'
         '|December 2010[^.]{0,100}(judgment|judgement|ruling|decision|Court)'
         , ['ireland2011']),
        ('A,? B,? and C[^.]{0,200}(19|20)\\d\\d|(judgment|judgement'
         '|ruling)[^.]{0,60}(delivered|handed down|issued) (on|in)'
         , ['ireland2011']),
    ],
    'upr-u68': [
        ('(\\b\\d+|[a-z]+ (hundred|dozen)) (persons|people|detainees|individuals'
         '|prisoners)[^.]{0,150}(ISA|Internal Security Act)|(ISA'
         '|Internal Security Act)[^.]{0,150}(\\b\\d+|[a-z]+ (hundred|dozen)) (persons|people'
         '|detainees|individuals|prisoners)'
         , ['malaysia2009']),
    ],
    'upr-u69': [
        ('International Coordinating Committee|\\bICC\\b|accreditation|accredited', ['srilanka2008']),
        ('.B.? status|status .?B\\b|downgrad[^.]{0,100}(19|20)\\d\\d|(19'
         '|20)\\d\\d[^.]{0,100}downgrad'
         , ['srilanka2008']),
    ],
    'upr-u70': [
        ('torture[^.]{0,200}\\b\\d+ (cases|officers|police|policemen|persons|individuals'
         '|convictions|sentences|prosecutions|trials)|\\b\\d+ (cases|officers|policemen'
         '|convictions|sentences|prosecutions)[^.]{0,200}tortur'
         , ['egypt2010']),
    ],
    'upr-u71': [
        ('\\b2013\\b', ['mexico2009']),
        ('second (cycle|review|universal periodic)', ['mexico2009']),
    ],
    'upr-u72': [
        ('\\b2013\\b', ['israel2009']),
        ('second (cycle|review|universal periodic)', ['israel2009']),
        ('Israel[^.]{0,150}(postpon|non-cooperation|did not (attend|appear|participate))'
         '|(postpon|non-cooperation)[^.]{0,150}Israel'
         , '*'),
    ],
    'upr-u73': [
        ('Rana Plaza|Savar', '*'),
        ('\\b2013\\b', ['bangladesh2009']),
        ('(factory|building)[^.]{0,40}collapse|collapse[^.]{0,40}(factory|building)', '*'),
    ],
    'upr-u74': [
        ('\\bfenc(e|es|ed|ing)\\b|razor|barbed wire', ['hungary2011']),
        ('Hungar[^.]{0,150}(\\bfenc(e|es|ed|ing)\\b|razor|barbed)|(\\bfenc(e|es|ed|ing)\\b'
         '|razor|barbed)[^.]{0,150}Hungar'
         , '*'),
        ('border with Serbia|Serbian border|Hungarian-Serbian|Serbian-Hungarian'
         '|\\b2015\\b[^.]{0,150}(border|asylum|migrant|refugee)|(border|asylum|migrant'
         '|refugee)[^.]{0,150}\\b2015\\b'
         , ['hungary2011']),
    ],
    'upr-u75': [
        ('Nkurunziza', '*'),
        ('third (term|mandate)', ['burundi2009']),
        ('\\b2015\\b[^.]{0,150}(protest|demonstrat|arrest|election)|(protest|demonstrat'
         '|arrest|election)[^.]{0,150}\\b2015\\b'
         , ['burundi2009']),
    ],
    'upr-u76': [
        ('execut[^.]{0,150}\\b2015\\b|\\b2015\\b[^.]{0,150}(execut|hang|death penalty'
         '|death sentence)'
         , ['iran2010', 'iran2014']),
        ('executions? (in|during) 2015|2015[^.]{0,80}(executions|were executed|hanged)', '*'),
    ],
    'upr-u77': [
        ('Sotoudeh|Nasrin', '*'),
    ],
    'upr-u78': [
        ('Taseer|Taseer|Salman Tas|Governor of (the )?Punjab|Punjab Governor', '*'),
        ('assassinat[^.]{0,150}Governor|Governor[^.]{0,150}assassinat', '*'),
    ],
    'upr-u79': [
        ('Chut Wutty|Wutty', '*'),
        ('environmental (activist|defender)', ['cambodia2010', 'cambodia2014']),
    ],
    'upr-u80': [
        ('Yodok|Yodeok|Kwan-?li-?so|Camp (No\\.? ?)?15', '*'),
        ('\\b\\d[\\d,]* (prisoners|persons|people|inmates|detainees)[^.]{0,120}camp'
         '|camps?[^.]{0,120}\\b\\d[\\d,]* (prisoners|persons|people|inmates|detainees)'
         , ['democraticpeoplesrepublicofkorea2010', 'democraticpeoplesrepublicofkorea2014']),
    ],
    'upr-u81': [
        ('Dadaab|Dadab|Hagadera|Dagahaley|Kakuma', '*'),
        ('refugee camp', ['kenya2010']),
    ],
    'upr-u82': [
        ('review of (the Republic of )?South Sudan'
         '|delegation of (the Republic of )?South Sudan'
         '|support of (the Republic of )?South Sudan|South Sudan was headed'
         , '*'),
        ('South Sudan[^.]{0,150}(child|early|forced) marriage|(child|early'
         '|forced) marriage[^.]{0,150}South Sudan'
         , '*'),
    ],
    'upr-u83': [
        ('review of (the )?Cook Islands|delegation of (the )?Cook Islands'
         '|support of (the )?Cook Islands|Cook Islands (was|were) headed'
         , '*'),
        ('Cook Islands[^.]{0,200}(sex|homosexual|sodomy|sexual orientation|decriminali|gay)'
         '|(sex|homosexual|sodomy|sexual orientation|decriminali|gay)[^.]{0,200}Cook Islands'
         , '*'),
    ],
    'upr-u84': [
        ('review of Niue|delegation of Niue|support of Niue|Niue was headed', '*'),
        ('Niue[^.]{0,200}(human rights (institution|commission)|NHRI|ombuds'
         '|Paris Principles)|(human rights (institution|commission)|NHRI|ombuds'
         '|Paris Principles)[^.]{0,200}Niue'
         , '*'),
    ],
    'upr-u85': [
        ('Hargeisa|Hargeysa', '*'),
        ('review of .?Somaliland|delegation of .?Somaliland|Somaliland.? (authorities'
         '|delegation|Government) (report|said|stated|explained|informed|noted)'
         , '*'),
        ('Somaliland[^.]{0,150}(jail|imprison|detain|arrest)|(jail|imprison|detain'
         '|arrest)[^.]{0,150}Somaliland'
         , '*'),
    ],
    'upr-u86': [
        ('review of Taiwan|Taiwan[^.]{0,150}(fish|migrant|seafar|crew)|(fish|migrant|seafar'
         '|crew)[^.]{0,150}Taiwan'
         , '*'),
        ('Taipei|Taiwan.s (report|delegation|review|Government|authorities)', '*'),
    ],
    'upr-u87': [
        ('Golden Dawn|Chrysi Avgi', '*'),
        ('\\b(ban|outlaw|prohibit|dissolv)[^.]{0,100}\\b(party|parties)\\b|\\b(party'
         '|parties)\\b[^.]{0,100}\\b(ban|outlaw|prohibit|dissolv)'
         , ['greece2011']),
        ('neo-?nazi', ['greece2011']),
    ],
    'upr-u88': [
        ('Tivoli[^.]{0,300}\\b\\d[\\d,]* (civilians|persons|people|deaths|individuals|dead'
         '|residents)|\\b\\d[\\d,]* (civilians|persons|people|deaths|individuals|dead'
         '|residents)[^.]{0,300}Tivoli'
         , '*'),
        ('\\b\\d[\\d,]* (civilians|persons|people|deaths|individuals|lives|dead'
         '|residents)\\b|\\b(seventy|sixty|fifty|forty)\\b'
         , ['jamaica2011']),
    ],
    'upr-u89': [
        ('Zwarte Piet|Black Pete|Sinterklaas|Sint ?Nicolaas|Saint Nicholas', '*'),
        ('black-?face|racial stereotyp|racist stereotyp|racist caricature', ['netherlands2012']),
    ],
    'upr-u90': [
        ('Jyllands|Posten', '*'),
        ('CS:(cartoons|caricatures|drawings)[^.]{0,120}\\b(in|by) (the )?(daily '
         '|newspaper )?[A-Z][a-z]+'
         , ['denmark2011']),
        ('CS:(newspaper|daily) [A-Z][a-z]+', ['denmark2011']),
    ],
    'upr-u91': [
        ('Zone ?9|Zone Nine', '*'),
        ('blog', ['ethiopia2014']),
    ],
    'upr-u92': [
        ('Christmas Island[^.]{0,250}\\b\\d|\\b\\d[\\d,]* [^.]{0,100}Christmas Island', '*'),
        ('\\b\\d[\\d,]* (asylum|irregular|boat|detainees|people|persons|individuals|children'
         '|migrants|unauthori[sz]ed|non-citizens)'
         , ['australia2011']),
    ],
    'upr-u93': [
        ('conscientious', ['singapore2011']),
        ('national service|military service|compulsory service'
         '|alternative (civilian )?service|Jehovah|conscript'
         , ['singapore2011']),
    ],
    'upr-u94': [
        ('Kiplagat|Bethuel', '*'),
        ('(Truth,? Justice and Reconciliation Commission|TJRC)[^.]{0,200}(chair|headed'
         '|led by|president)|(chair|headed)[^.]{0,100}(Truth,? Justice|TJRC)'
         , '*'),
    ],
    'upr-u95': [
        ('cannabis|marijuana|marihuana', '*'),
        ('drug|narcotic|psychoactive', ['uruguay2014']),
    ],
    'upr-u96': [
        ('Jayasuriya|Jagath|Fonseka', '*'),
        ('Army Commander,? (Lieutenant|Lt|General|Gen|Major)|(Lieutenant|Lt\\.?'
         '|Major) General [A-Z][a-z]+[^.]{0,100}(Court of Inquiry|Army Commander)'
         , ['srilanka2012']),
        ('Court of Inquiry[^.]{0,100}(headed|chaired|presided) by', ['srilanka2012']),
    ],
    'upr-u97': [
        ('Magdalen', '*'),
        ('laundr', ['ireland2011']),
        ('women[^.]{0,100}(religious orders|\\bconvents?\\b|\\bnuns\\b)|(religious orders'
         '|\\bconvents?\\b|\\bnuns\\b)[^.]{0,100}women'
         , ['ireland2011']),
    ],
    'upr-u98': [
        ('Walk to Work[^.]{0,300}(\\b\\d|killed|died|deaths|dead)|(killed|died|deaths'
         '|dead)[^.]{0,300}Walk to Work'
         , '*'),
        ('\\b\\d[\\d,]* (people|persons|civilians|protesters|demonstrators'
         '|individuals) (were |had been )?(killed|died|shot|dead)|\\b(two|three|four|five'
         '|six|seven|eight|nine|ten)\\b[^.]{0,20}(people|persons|civilians'
         '|protesters) (were |had been )?(killed|died|shot)'
         , ['uganda2011']),
    ],
    'upr-u99': [
        ('AMIA\\b|Asociaci.n Mutual Israelita', '*'),
        ('bomb|Jewish (community|centre|center)', ['argentina2012']),
        ('\\b1994\\b', ['argentina2012']),
    ],
    'upr-u100': [
        ('(riot|November 2006)[^.]{0,250}(died|killed|deaths|dead|lives|fatalit|bodies)'
         '|(died|killed|deaths|dead|lives|fatalit|bodies)[^.]{0,250}(riot|November 2006)'
         , ['tonga2008']),
        ('Nuku.alofa', '*'),
        ('\\b(eight|8|six|6) (people|persons|deaths|bodies)', ['tonga2008']),
    ],
    'upr-u101': [
        ('Hrant|\\bDink\\b', '*'),
        ('\\bAgos\\b', ['turkey2010']),
        ('journalist[^.]{0,100}(murder|killed|assassinat)|(murder|killed'
         '|assassinat)[^.]{0,100}journalist'
         , ['turkey2010']),
    ],
    'upr-u102': [
        ('Karad(z|ž|.)i.[^.]{0,250}(Belgrade|arrested in|captured in|\\bbus\\b|July 2008'
         '|21 July)|(Belgrade|21 July)[^.]{0,250}Karad'
         , '*'),
        ('Dabi[cć]', '*'),
    ],
    'upr-u103': [
        ('Fatull?ayev|Fatulla', '*'),
        ('Realny|Gundelik', '*'),
        ('\\beditor', ['azerbaijan2009']),
    ],
    'upr-u104': [
        ('milk[^.]{0,250}\\b\\d|\\b\\d[^.]{0,250}milk', ['china2009']),
        ('melamine|Sanlu', '*'),
        ('(infants|babies)[^.]{0,100}(sickened|ill|poisoned|hospitali[sz]ed|died|affected)', ['china2009']),
    ],
    'upr-u105': [
        ('Jang Song|Song-?thaek|Chang Song', '*'),
        ('\\buncle\\b|\\bpurge|December 2013'
         , ['democraticpeoplesrepublicofkorea2010', 'democraticpeoplesrepublicofkorea2014']),
    ],
    'upr-u106': [
        ('Rosarno[^.]{0,300}(January|February|December|20(09|10))|(January|December) 20(09'
         '|10)[^.]{0,300}Rosarno'
         , '*'),
        ('January 2010', ['italy2010']),
    ],
    'upr-u107': [
        ('Istanbul', ['portugal2014']),
        ('Council of Europe Convention on [^.]{0,40}(violence|women)'
         '|Convention on preventing and combating violence'
         , ['portugal2014']),
    ],
    'upr-u108': [
        ('Tymoshenko[^.]{0,300}(years|sentenc|convict|imprison|prison|jail)|(years|sentenc'
         '|convict|imprison|jail)[^.]{0,300}Tymoshenko'
         , '*'),
        ('seven years|7 years|abuse of (office|power)|gas (deal|contract|agreement)', ['ukraine2012']),
    ],
    'upr-u109': [
        ('CS:\\bCIA\\b|Central Intelligence', ['romania2008']),
        ('secret (detention|prison|site|flight)|rendition|black site', ['romania2008']),
        ('Romania[^.]{0,200}(secret detention|rendition|Central Intelligence|\\bCIA\\b)'
         '|(secret detention|rendition|Central Intelligence|\\bCIA\\b)[^.]{0,200}Romania'
         , '*'),
    ],
    'upr-u110': [
        ('Maguindanao[^.;]{0,300}\\b\\d|\\b\\d[\\d,]* [^.;]{0,200}Maguindanao', '*'),
        ('(thirty-two|\\b32) (journalists|media workers)|(fifty-seven|fifty-eight'
         '|\\b58) (people|persons|victims)|\\b57 (people|victims|persons (were )?(killed'
         '|massacred|died))'
         , ['philippines2012']),
        ('journalists?[^.;]{0,150}Maguindanao|Maguindanao[^.;]{0,150}journalist', '*'),
    ],
    'upr-u111': [
        ('Sombath|Somphone', '*'),
        ('\\b2015\\b', ['laopeoplesdemocraticrepublic2010']),
        ('second (cycle|review|universal periodic)', ['laopeoplesdemocraticrepublic2010']),
    ],
    'upr-u112': [
        ('ston(ing|ed)[^.]{0,250}\\b(19|20)\\d\\d\\b|\\b(19|20)\\d\\d\\b[^.]{0,250}ston(ing'
         '|ed)'
         , ['iran2010', 'iran2014']),
        ('moratorium on ston[^.]{0,150}(declared|introduced|imposed|announced|issued|since'
         '|\\bin \\d)'
         , '*'),
    ],
    'upr-u113': [
        ('Farmonov|Farmanov', '*'),
        ('\\b2013\\b', ['uzbekistan2009']),
        ('second (cycle|review|universal periodic)', ['uzbekistan2009']),
    ],
    'upr-u114': [
        ('(arrest|detain|detention)[^.]{0,200}\\b\\d[\\d,]* (persons|people|individuals'
         '|suspects)|\\b\\d[\\d,]* (persons|people|individuals|suspects|arrests)'
         , ['trinidadandtobago2011']),
        ('state of emergency[^.]{0,300}(arrest|detain)|(arrest'
         '|detain)[^.]{0,300}state of emergency'
         , ['trinidadandtobago2011']),
    ],
    'upr-u115': [
        ('Ramos.Horta|Reinado', '*'),
        ('(shoot|shot|attack|assassinat)[^.]{0,100}President|President[^.]{0,100}(shoot|shot'
         '|attack|assassinat)'
         , ['timorleste2011']),
        ('February 2008|11 February', ['timorleste2011']),
    ],
    'upr-u116': [
        ('Kaminis|Spanou|Diamandouros', '*'),
        ('CS:Ombudsman,? (Mr|Ms|Mrs|Professor|Prof|Dr)\\b|(Mr|Ms|Mrs|Professor'
         '|Dr)\\.? [A-Z][A-Za-z]+ [A-Z][A-Za-z]+,? (the )?(Greek )?Ombudsman'
         , ['greece2011']),
    ],
}


def load_corpus(folder: Path) -> dict[str, str]:
    docs = {}
    for path in sorted(folder.glob("*.txt")):
        text = path.read_bytes().decode("mac_roman").replace("\r\n", "\n").replace("\r", "\n")
        docs[path.stem.lower()] = text  # doc_ids as Verbatim makes them from file names
    return docs


def fold(s: str) -> str:
    return " ".join(s.split())


def read_jsonl(path: Path, errors: list[str]) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{path.name}:{n}: not JSON: {e}")
            continue
        for field in ("id", "question", "answers", "tags", "split"):
            if field not in row:
                errors.append(f"{path.name}:{n}: lacks {field}")
        if row.get("split") not in ("tuning", "heldout"):
            errors.append(f"{path.name}:{n}: split must be tuning or heldout")
        rows.append(row)
    return rows


def tag(row: dict, prefix: str) -> str | None:
    for t in row.get("tags", []):
        if t.startswith(prefix + ":"):
            return t.split(":", 1)[1]
    return None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    docs = load_corpus(args.corpus)
    folded = {d: fold(t) for d, t in docs.items()}
    errors: list[str] = []
    notes: list[str] = []
    print(f"corpus: {len(docs)} reports in {args.corpus}")

    answerable = read_jsonl(HERE / "upr-reports.jsonl", errors)
    unanswerable = read_jsonl(HERE / "upr-unanswerable.jsonl", errors)

    ids = collections.Counter(r.get("id") for r in answerable + unanswerable)
    for qid, k in ids.items():
        if k > 1:
            errors.append(f"id {qid!r} used {k} times")

    # ---- answerable
    for row in answerable:
        qid = row["id"]
        if not row["answers"]:
            errors.append(f"{qid}: no answers")
        for a in row["answers"]:
            quote, doc = a.get("quote", ""), a.get("doc_id", "")
            if doc not in docs:
                errors.append(f"{qid}: unknown doc_id {doc!r}")
                continue
            q = fold(quote)
            words = len(q.split())
            in_doc = folded[doc].count(q)
            if in_doc == 0:
                errors.append(f"{qid}: quote not in {doc}: {quote!r}")
                continue
            # the project's own rule (corpus/quotes.py): the quote's words joined by \s+, searched in the raw text
            rx = re.compile(r"\s+".join(re.escape(w) for w in quote.split()))
            if not rx.search(docs[doc]):
                errors.append(f"{qid}: quote found folded but not by the \\s+ pattern in {doc}: {quote!r}")
            elsewhere = sorted(d for d in folded if d != doc and q in folded[d])
            if in_doc > 1:
                notes.append(f"{qid}: quote occurs {in_doc}x in {doc} (every place counts as the answer)")
            if elsewhere:
                notes.append(f"{qid}: quote also occurs in {', '.join(elsewhere)}")
            if not 4 <= words <= 45:
                notes.append(f"{qid}: quote has {words} words")
            if args.verbose:
                print(f"  ok {qid} {doc} x{in_doc}: {q[:80]}")
        first = row["answers"][0]["doc_id"] if row["answers"] else ""
        year = re.search(r"(\d{4})$", first)
        if year and tag(row, "year") != year.group(1):
            errors.append(f"{qid}: year tag {tag(row, 'year')} but doc {first}")
        if not tag(row, "theme") or not tag(row, "country"):
            errors.append(f"{qid}: needs theme: and country: tags")

    # ---- unanswerable
    for row in unanswerable:
        qid = row["id"]
        if row["answers"]:
            errors.append(f"{qid}: unanswerable question has answers")
        probes = PROBES.get(qid)
        if not probes:
            errors.append(f"{qid}: no probes recorded in check.py")
            continue
        for pattern, scope in probes:
            flags = 0 if pattern.startswith("CS:") else re.IGNORECASE
            rx = re.compile(pattern[3:] if pattern.startswith("CS:") else pattern, flags)
            targets = sorted(docs) if scope == "*" else scope
            for d in targets:
                if d not in docs:
                    errors.append(f"{qid}: probe scope names unknown doc {d!r}")
                    continue
                m = rx.search(folded[d])
                if m:
                    ctx = folded[d][max(0, m.start() - 80): m.end() + 80]
                    errors.append(f"{qid}: probe {pattern!r} matches in {d}: …{ctx}…")
        if args.verbose:
            print(f"  ok {qid}: {len(probes)} probes clean")
    for qid in PROBES:
        if qid not in {r['id'] for r in unanswerable}:
            errors.append(f"probes recorded for unknown question {qid}")

    # ---- summary
    def table(rows: list[dict], name: str) -> None:
        themes = collections.Counter((tag(r, "theme"), r["split"]) for r in rows)
        print(f"\n{name}: {len(rows)} questions; splits {dict(collections.Counter(r['split'] for r in rows))}")
        for theme in sorted({t for t, _ in themes}):
            print(f"  {theme:20s} tuning {themes[(theme, 'tuning')]:2d}  heldout {themes[(theme, 'heldout')]:2d}")

    table(answerable, "answerable")
    reports = sorted({a["doc_id"] for r in answerable for a in r["answers"]})
    primary = sorted({r["answers"][0]["doc_id"] for r in answerable if r["answers"]})
    countries = sorted({tag(r, "country") for r in answerable})
    cycles = collections.Counter(tag(r, "cycle") for r in answerable)
    print(f"  reports holding an answer: {len(reports)}; as first answer: {len(primary)}; countries: {len(countries)}; "
          f"cycles: {dict(cycles)}")
    if args.verbose:
        print("  reports:", " ".join(reports))
    table(unanswerable, "unanswerable")
    print(f"  kinds: {dict(collections.Counter(tag(r, 'kind') for r in unanswerable))}")

    for n in notes:
        print("note:", n)
    for e in errors:
        print("ERROR:", e)
    print(f"\n{len(errors)} errors, {len(notes)} notes")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
