/**
 * Code links on the real arXiv cs harvest in ../shared (102,538 records, both folders), read
 * with the parser `paperboy import` uses. Of the records whose abstract or comments contain a
 * `github.com/` URL, the share whose GitHub link is the repository the text names must be at
 * least 95%; on 1,000 records without such a URL no GitHub link may appear, and any other link
 * must be written in the record. Expected repositories were read off each record's text by hand
 * (null: the text names a profile or a GitHub Pages site, not a repository).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractPaperLinks } from '../domain/paper-links.js';
import type { PaperRecord } from '../domain/paper.js';
import { readIngestFile } from './ingest-file.reader.js';

const dataDir = fileURLToPath(new URL('../../../shared/data/arxiv/oai-pmh', import.meta.url));
const DIRS = ['arXiv-format_set-cs_harvest-2016-03-09', 'arXiv-format_set-cs_harvest-2016-03-09-more'];

const EXPECTED: [string, string | null][] = [
  ['1105.0902', 'drewconway/GMM'],
  ['1106.4064', 'simon-weber/Programming-Language-Identification'],
  ['1109.6273', 'robsimmons/agda-lib'],
  ['1111.1400', 'visionworkbench/visionworkbench'],
  ['1112.5945', 'ntamas/netctrl'],
  ['1202.4961', 'lemire/StronglyUniversalStringHashing'],
  ['1205.5770', 'zouzias/REK'],
  ['1206.4522', 'philgooch/BADREX-Biomedical-Abbreviation-Expander'],
  ['1207.2776', 'emilbjornson/one-or-multiple-streams'],
  ['1207.3914', null], // rincedd.github.com/largenet2: a GitHub Pages site,
  ['1208.2330', 'basp-group/sopt'],
  ['1209.2137', 'lemire/FastPFor'],
  ['1209.4093', 'emilbjornson/capacity-limits-transceiver-impairments'],
  ['1211.4907', 'luispedro/mahotas'],
  ['1301.0213', 'ThomasA/cs-correlated-noise'],
  ['1301.2820', 'culurciello/CL_paper1_code'],
  ['1303.0934', 'CBCL/GURLS'],
  ['1303.7201', 'ctf20/DarwinianNeurodynamics'],
  ['1304.6482', 'jkeiren/pbesstategraph-experiments'],
  ['1305.4537', 'nenadmarkus/pico'],
  ['1307.1360', 'basp-group/sopt'],
  ['1307.2584', 'emilbjornson/massive-MIMO-hardware-impairments'],
  ['1307.2923', 'emilbjornson/twoway-relaying-hardware-impairments'],
  ['1307.3195', 'THeK3nger/gridworld'],
  ['1307.5302', 'karlnapf/kameleon-mcmc'],
  ['1307.8136', 'CoAxLab/DeBaCl'],
  ['1307.8401', 'izhbannikov/FPSYNT'],
  ['1308.6074', 'HIITMetagenomics/dsm-framework'],
  ['1310.1371', 'eldad-a/ridge-directed-ring-detector'],
  ['1311.2504', 'balicea/semi-auto-peer-review'],
  ['1311.2634', 'emilbjornson/new-look-at-relaying'],
  ['1311.4168', 'Enchufa2/nantools'],
  ['1312.6661', 'jbkinney/13_deft'],
  ['1401.8030', 'asifhaque/transit-arbitrage'],
  ['1402.0108', null], // github.com/ericstrobl/: a profile,
  ['1403.2531', 'HoTT/HoTT'],
  ['1403.2752', 'hbasold/LAMA'],
  ['1403.3235', 'captn3m0/nullcon2014'],
  ['1403.6150', 'emilbjornson/is-massive-MIMO-the-answer'],
  ['1404.0408', 'emilbjornson/optimal-beamforming'],
  ['1405.0843', 'manlius/muxViz'],
  ['1405.5047', 'mgb45/SignerBodyPose'],
  ['1406.0117', null], // github.com/eacof: a profile,
  ['1406.0426', 'lh3/ropebwt2'],
  ['1406.3852', 'wbounliphone/reldep'],
  ['1406.4311', 'eric-tramel/SwAMP-Demo'],
  ['1407.3121', 'jkeiren/paritygame-generator'],
  ['1407.3681', 'thorstent/ConRepair'],
  ['1407.6333', 'mjbommar/scotus-predict'],
  ['1407.6453', 'FredericJacobs/safeweb'],
  ['1407.7566', 'ericstrobl/DvCD'],
  ['1408.5093', 'BVLC/Caffe'],
  ['1409.0875', 'emilbjornson/hardware-scaling-laws'],
  ['1409.1177', 'michaelkirsche/IEEE802154INET-Standalone'],
  ['1409.6780', 'ahartik/succinct'],
  ['1410.1606', 'eglxiang/icassp15_emotion'],
  ['1410.3322', 'emmericp/MoonGen'],
  ['1411.3159', 'cvjena/PartDetectorDisovery'],
  ['1411.5371', 'jbkinney/14_maxent'],
  ['1412.6547', 'pmineiro/randembed'],
  ['1412.6632', 'mjhucla/mRNN-CR'],
  ['1412.6853', 'ttm/dissertacao'],
  ['1412.7512', 'yp-mit/spectre'],
  ['1412.8388', 'bolozna/iet'],
  ['1501.01957', 'infotheorychalmers/mac_capacity_bounds'],
  ['1501.06907', 'RUBi-ZA/JMS'],
  ['1501.07719', 'ska-sa/montblanc'],
  ['1502.01753', 'peterwittek/concept_drifts'],
  ['1502.06013', 'drolnick/stanseq'],
  ['1502.06256', 'gregorykucherov/spaced-seeds-for-metagenomics'],
  ['1503.01398', 'danmilon/node-dpws'],
  ['1503.02330', null], // github.com/patrikhuber: a profile,
  ['1503.02946', 'FrederikDiehl/apsis'],
  ['1503.05032', 'bhSPARSE/Benchmark_SpMV_using_CSR5'],
  ['1503.06733', 'yahoo/YaraParser'],
  ['1504.01142', 'smirarab/sepp'],
  ['1504.05022', 'bhSPARSE/Benchmark_SpGEMM_using_CSR'],
  ['1504.06474', 'bhSPARSE/Benchmark_SpMV_using_CSR'],
  ['1504.06607', 'lucasanguinetti/ln-game-theory'],
  ['1504.08083', 'rbgirshick/fast-rcnn'],
  ['1505.00290', 'danspielman/YINSlex'],
  ['1505.00641', 'ibayer/fastFM'],
  ['1505.04533', 'thorstent/Liss'],
  ['1505.04911', 'Malfoy/BGREAT'],
  ['1506.00749', 'SHIYUANMING/large-scale-convex-optimization'],
  ['1506.03229', 'golosio/annabell'],
  ['1506.04579', 'weiliu89/caffe'],
  ['1506.07980', 'JoseCPereira/2015EvolutionaryAlgorithmsJava'],
  ['1506.08694', 'JoseCPereira/2015ParameterlessEvolutionaryAlgorithmsJava'],
  ['1506.08909', 'rkadlec/ubuntu-ranking-dataset-creator'],
  ['1507.00448', 's-gupta/fast-rcnn'],
  ['1507.02987', 'felipealbrecht/Genoogle'],
  ['1507.06837', 'jeremyfix/dstc'],
  ['1508.00102', 'axel-angel/master-project'],
  ['1508.01292', 'Bkmz21/FD-Evaluation'],
  ['1508.02550', 'jltsiren/relative-fm'],
  ['1508.03167', 'axel-bacher/mergeshuffle'],
  ['1509.00016', 'nassarhuda/pprlocal'],
  ['1509.01066', 'befelix/SafeOpt'],
  ['1509.01117', 'supermihi/lpdintro'],
  ['1509.02441', 'subtri/video_inference'],
  ['1509.03371', null], // github.com/naibaf7/: a profile,
  ['1510.03727', 'torrvision/spaint'],
  ['1510.04017', 'burgosz/openstack-horizon-shibboleth'],
  ['1511.00898', 'jltsiren/bwt-merge'],
  ['1511.02283', 'mjhucla/Google_Refexp_toolbox'],
  ['1511.03260', 'pmineiro/xlst'],
  ['1511.06037', 'alexiriza/unlabeled-graph-samplers'],
  ['1512.06452', 'hsoleimani/ATD'],
  ['1601.01006', 'hanfeiid/SkeletonReview'],
  ['1601.01892', 'kikohs/recog'],
  ['1601.03341', 'bouncaslab/TaXim'],
  ['1601.06116', 'tehtechguy/mHTM'],
  ['1601.06502', 'jbms/ecmh'],
  ['1602.02506', 'tomayac/wikipedia-tools-for-google-spreadsheets'],
  ['1602.05292', 'zge/authorship-attribution'],
  ['1602.05856', 'medvedevgroup/TwoPaCo'],
  ['1602.06426', 'cassioneri/Dyck'],
  ['1602.06904', 'LanMai/OpenSIM'],
  ['1602.07360', 'DeepScale/SqueezeNet'],
  ['1602.07393', 'zge/authorship-attribution'],
  ['1603.00845', 'imatge-upc/saliency-2016-cvpr'],
];

async function readHarvest(): Promise<PaperRecord[]> {
  const out: PaperRecord[] = [];
  for (const dir of DIRS) {
    for (const file of fs.readdirSync(path.join(dataDir, dir)).filter((f) => /\.xml(\.gz)?$/.test(f)).sort()) {
      const reader = await readIngestFile(path.join(dataDir, dir, file));
      for await (const item of reader.items()) if (item.kind === 'paper') out.push(item.paper);
    }
  }
  return out;
}

const hasGithubUrl = (p: PaperRecord) => /github\.com\//i.test(`${p.abstract} ${p.comments ?? ''}`);

describe('code links on the real arXiv cs harvest', () => {
  let records: PaperRecord[];
  beforeAll(async () => {
    records = await readHarvest();
  }, 240_000);

  it('finds the named GitHub repository for at least 95% of the records with a github.com URL', () => {
    const withGithub = records.filter(hasGithubUrl);
    expect(withGithub.map((p) => p.arxivId).sort()).toEqual(EXPECTED.map(([id]) => id).sort());
    const expected = new Map(EXPECTED);
    const misses: string[] = [];
    let right = 0;
    for (const p of withGithub) {
      const links = extractPaperLinks(p.abstract, p.comments);
      const want = expected.get(p.arxivId)!;
      const got = links.codeUrl?.startsWith('https://github.com/') ? links.codeUrl.slice('https://github.com/'.length) : null;
      if (got === want && want !== null) right++;
      else if (got !== want) misses.push(`${p.arxivId}: want ${want}, got ${got}`);
    }
    const named = EXPECTED.filter(([, want]) => want !== null).length;
    console.log(
      `github links: ${right} of ${withGithub.length} records with a github.com/ URL (${((100 * right) / withGithub.length).toFixed(1)}%) link the repository they name; ` +
        `${right} of ${named} that name a repository (${((100 * right) / named).toFixed(1)}%); wrong: ${misses.length ? misses.join('; ') : 'none'}`,
    );
    expect(misses).toEqual([]);
    expect(right / withGithub.length).toBeGreaterThanOrEqual(0.95);
  });

  it('makes no false link on 1,000 records without a github.com URL', () => {
    const without = records.filter((p) => !hasGithubUrl(p));
    const step = Math.floor(without.length / 1000);
    const sample = Array.from({ length: 1000 }, (_, i) => without[i * step]!);
    // The sample holds records with other links too (the harvest has ~3,800 with a URL).
    const withSomeUrl = sample.filter((p) => /https?:\/\/|www\./i.test(`${p.abstract} ${p.comments ?? ''}`)).length;
    let linked = 0;
    for (const p of sample) {
      const links = extractPaperLinks(p.abstract, p.comments);
      expect(links.codeUrl?.startsWith('https://github.com/') ?? false).toBe(false);
      const text = `${p.abstract} ${p.comments ?? ''}`.toLowerCase().replace(/\s+/g, '');
      for (const repo of links.repos) expect(text).toContain(repo.id.toLowerCase());
      if (links.projectPage) expect(text).toContain(new URL(links.projectPage).hostname.replace(/^www\./, ''));
      if (links.codeUrl || links.projectPage) linked++;
    }
    console.log(`no-github sample: 1000 records, ${withSomeUrl} with some URL, ${linked} given a code or project link (each written in the record), 0 GitHub links`);
    expect(withSomeUrl).toBeGreaterThan(10);
  });
});
