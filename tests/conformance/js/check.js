// Drive Clarifai's own JavaScript REST client (npm `clarifai` 2.x, pinned in package-lock.json)
// against the emulator: inputs, concepts, models (create, merge, train, output info), predict
// with output settings, the search forms, workflows, errors and a browser's CORS preflight.
//
// Usage: node check.js PATH_TO_clarifai-emulator
// Starts the emulator (it stops when our stdin pipe closes), prints one line per check and
// 'N passed, N failed'; exits non-zero on any failure.

'use strict';

const assert = require('assert');
const { spawn } = require('child_process');
const readline = require('readline');
const Clarifai = require('clarifai');

const METRO = 'https://samples.clarifai.com/metro-north.jpg';
const DOG = 'https://samples.clarifai.com/dog2.jpeg';
const GENERAL_VERSION = 'aa7f35c01e0642fda5cf400f543e7c40';

function start(binary) {
  const proc = spawn(binary, ['--listen', '127.0.0.1:0', '--exit-on-stdin-eof'], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: proc.stdout });
    lines.once('line', (line) => resolve({ proc, details: JSON.parse(line) }));
    proc.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before printing its details`)));
    proc.once('error', reject);
  });
}

// What a rejected axios call carried: the HTTP status and the Clarifai status.
function failure(err) {
  const r = err && err.response;
  return r ? { http: r.status, code: r.data && r.data.status && r.data.status.code } : { error: String(err) };
}

async function main() {
  const { proc, details } = await start(process.argv[2]);
  let passed = 0;
  let failed = 0;
  const check = async (name, fn) => {
    try {
      await fn();
      passed += 1;
      console.log(`ok   ${name}`);
    } catch (err) {
      failed += 1;
      console.log(`FAIL ${name}`);
      console.log(`     ${err && err.response ? JSON.stringify(err.response.data) : (err && err.stack) || err}`);
    }
  };

  try {
    const app = new Clarifai.App({ apiKey: details.api_key, apiEndpoint: details.url });
    // The PAT form of the docs: user and app in the path.
    const patApp = new Clarifai.App({ apiKey: details.pat, apiEndpoint: details.url, userId: details.user_id, appId: details.app_id });

    await check('inputs.create with concepts and metadata; values read back as numbers', async () => {
      const inputs = await app.inputs.create([
        { url: DOG, id: 'dog', concepts: [{ id: 'pet', value: true }, { id: 'indoor', value: false }], metadata: { kind: 'dog', legs: 4 } },
        { url: METRO, id: 'metro', metadata: { kind: 'train' } },
      ]);
      assert.strictEqual(inputs.length, 2);
      assert.strictEqual(inputs[0].imageUrl, DOG);
      const input = await app.inputs.get('dog');
      const values = input.rawData.data.concepts.map((c) => [c.id, c.value]);
      assert.deepStrictEqual(values, [['pet', 1], ['indoor', 0]]);
      assert.deepStrictEqual(input.metadata, { kind: 'dog', legs: 4 });
      assert.strictEqual(input.concepts[0].appId, details.app_id);
    });

    await check('inputs.list and inputs.getStatus', async () => {
      const list = await app.inputs.list({ page: 1, perPage: 10 });
      assert.deepStrictEqual([list[0].id, list[1].id], ['metro', 'dog']);
      const status = await app.inputs.getStatus();
      assert.strictEqual(status.counts.processed, 2);
    });

    await check('inputs.mergeConcepts merges, deleteConcepts removes only those, overwriteConcepts replaces', async () => {
      let inputs = await app.inputs.mergeConcepts([{ id: 'dog', concepts: [{ id: 'indoor', value: true }, { id: 'animal' }] }]);
      const ids = (i) => i.rawData.data.concepts.map((c) => `${c.id}=${c.value}`);
      assert.deepStrictEqual(ids(inputs[0]), ['pet=1', 'indoor=1', 'animal=1']);
      inputs = await app.inputs.deleteConcepts([{ id: 'dog', concepts: [{ id: 'indoor' }] }]);
      assert.deepStrictEqual(ids(inputs[0]), ['pet=1', 'animal=1']);
      inputs = await app.inputs.overwriteConcepts([{ id: 'dog', concepts: [{ id: 'pet' }, { id: 'indoor', value: false }] }]);
      assert.deepStrictEqual(ids(inputs[0]), ['pet=1', 'indoor=0']);
      assert.strictEqual(inputs[0].imageUrl, DOG);
    });

    await check('concepts.create, get, list, search with a wildcard, update', async () => {
      const created = await app.concepts.create([{ id: 'cat', name: 'Cat' }, 'bird']);
      assert.deepStrictEqual([created[0].name, created[1].name], ['Cat', 'bird']);
      const cat = await app.concepts.get('cat');
      assert.strictEqual(cat.appId, details.app_id);
      const list = await app.concepts.list({ page: 1, perPage: 50 });
      assert.ok(list.rawData.some((c) => c.id === 'pet'), 'concepts used on inputs are the app\'s concepts');
      // The app's concepts first, then those of Clarifai's general model (clarifai/main).
      const found = await app.concepts.search('c*');
      assert.deepStrictEqual(found.rawData.map((c) => `${c.app_id}:${c.name}`), [`${details.app_id}:Cat`, 'main:city', 'main:cat']);
      const updated = await app.concepts.update({ id: 'cat', name: 'Kitty' });
      assert.strictEqual(updated[0].name, 'Kitty');
    });

    let trainedVersion = null;
    await check('models.create, get, mergeConcepts, deleteConcepts, search', async () => {
      const model = await app.models.create('pets', ['pet', 'cat'], { conceptsMutuallyExclusive: true });
      assert.strictEqual(model.id, 'pets');
      assert.strictEqual(model.name, 'pets');
      const got = await app.models.get('pets');
      assert.deepStrictEqual(got.outputInfo.data.concepts.map((c) => c.id), ['pet', 'cat']);
      const merged = await got.mergeConcepts([{ id: 'bird' }]);
      assert.deepStrictEqual(merged.outputInfo.data.concepts.map((c) => c.id), ['pet', 'cat', 'bird']);
      const removed = await got.deleteConcepts([{ id: 'cat' }]);
      assert.deepStrictEqual(removed.outputInfo.data.concepts.map((c) => c.id), ['pet', 'bird']);
      assert.strictEqual(removed.outputInfo.output_config.concepts_mutually_exclusive, true);
      const found = await app.models.search('pe*');
      assert.deepStrictEqual(found.rawData.map((m) => m.id), ['pets']);
      const general = await app.models.search('general');
      assert.ok(general.rawData.some((m) => m.id === 'general-image-recognition'));
    });

    await check('models.getOutputInfo answers the model and its concepts', async () => {
      const model = await app.models.getOutputInfo('pets');
      assert.deepStrictEqual(model.outputInfo.data.concepts.map((c) => c.name), ['pet', 'bird']);
      assert.strictEqual(model.outputInfo.output_config.max_concepts, 0);
      const general = await app.models.getOutputInfo(Clarifai.GENERAL_MODEL);
      assert.strictEqual(general.outputInfo.data.concepts.length, 25);
    });

    await check('models.train (sync) polls until the new version is trained', async () => {
      const model = await app.models.train('pets', true);
      assert.strictEqual(model.modelVersion.status.code, 21100);
      trainedVersion = model.versionId;
      assert.ok(trainedVersion);
      const versions = await (await app.models.initModel('pets')).getVersions();
      assert.strictEqual(versions.model_versions[0].id, trainedVersion);
    });

    await check('models.train (async) answers the new version queued', async () => {
      const model = await app.models.train('pets');
      assert.strictEqual(model.modelVersion.status.code, 21103);
      assert.notStrictEqual(model.versionId, trainedVersion);
    });

    await check('predict with Clarifai.GENERAL_MODEL: 20 concepts, model fields, app_id', async () => {
      const r = await app.models.predict(Clarifai.GENERAL_MODEL, METRO);
      assert.strictEqual(r.status.code, 10000);
      const out = r.outputs[0];
      assert.strictEqual(out.data.concepts.length, 20);
      assert.ok(out.data.concepts.every((c) => c.app_id === 'main' && c.value > 0 && c.value < 1));
      assert.strictEqual(out.model.name, 'general');
      assert.strictEqual(out.model.model_type_id, 'visual-classifier');
      assert.ok(out.model.output_info);
    });

    await check('predict honours maxConcepts, minValue and selectConcepts', async () => {
      const all = (await app.models.predict('general-image-recognition', METRO, { maxConcepts: 25 })).outputs[0].data.concepts;
      const three = (await app.models.predict('general-image-recognition', METRO, { maxConcepts: 3 })).outputs[0].data.concepts;
      assert.deepStrictEqual(three, all.slice(0, 3));
      const min = all[5].value;
      const above = (await app.models.predict('general-image-recognition', METRO, { minValue: min })).outputs[0].data.concepts;
      assert.deepStrictEqual(above, all.slice(0, 6));
      const selected = (await app.models.predict('general-image-recognition', METRO, { selectConcepts: [{ name: 'train' }, { id: all[24].id }] })).outputs[0].data.concepts;
      assert.deepStrictEqual(selected.map((c) => c.name).sort(), ['train', all[24].name].sort());
    });

    await check('predict with a trained custom model and its version', async () => {
      const model = await app.models.initModel({ id: 'pets', version: trainedVersion });
      const r = await model.predict(DOG);
      assert.deepStrictEqual(r.outputs[0].data.concepts.map((c) => c.name).sort(), ['bird', 'pet']);
      assert.strictEqual(r.outputs[0].model.model_version.id, trainedVersion);
    });

    await check('predict with an unknown model is 404 / 21200', async () => {
      const err = await app.models.predict('no-such-model', METRO).then(() => null, (e) => e);
      assert.deepStrictEqual(failure(err), { http: 404, code: 21200 });
    });

    await check('inputs.search by annotated concept (id, name, negative)', async () => {
      const ids = (r) => r.hits.map((h) => h.input.id);
      assert.deepStrictEqual(ids(await app.inputs.search({ concept: { id: 'pet', type: 'input' } })), ['dog']);
      assert.deepStrictEqual(ids(await app.inputs.search({ concept: { name: 'indoor', type: 'input', value: false } })), ['dog']);
      assert.deepStrictEqual(ids(await app.inputs.search({ concept: { name: 'cat', type: 'input' } })), []);
    });

    await check('inputs.search by metadata', async () => {
      const r = await app.inputs.search({ input: { metadata: { kind: 'train' }, type: 'input' } });
      assert.deepStrictEqual(r.hits.map((h) => h.input.id), ['metro']);
    });

    await check('inputs.search by image URL and by input id: ranked, the same image first with score 1', async () => {
      const r = await app.inputs.search({ input: { url: METRO } }, { page: 1, perPage: 10 });
      assert.deepStrictEqual(r.hits.map((h) => h.input.id), ['metro', 'dog']);
      assert.strictEqual(r.hits[0].score, 1);
      assert.ok(r.hits[1].score < 1 && r.hits[1].score > 0);
      const byId = await app.inputs.search({ input: { id: 'dog' } });
      assert.strictEqual(byId.hits[0].input.id, 'dog');
      const page2 = await app.inputs.search({ input: { url: METRO } }, { page: 2, perPage: 1 });
      assert.deepStrictEqual(page2.hits.map((h) => h.input.id), ['dog']);
    });

    await check('inputs.search by predicted concept: scores are the prediction values', async () => {
      const top = (await app.models.predict('general-image-recognition', METRO)).outputs[0].data.concepts[0];
      const r = await app.inputs.search({ concept: { name: top.name } });
      const hit = r.hits.find((h) => h.input.id === 'metro');
      assert.ok(hit, JSON.stringify(r.hits));
      assert.strictEqual(hit.score, top.value);
    });

    await check('workflows.create, workflow.predict, list, delete', async () => {
      const id = await app.workflows.create('wf', { modelId: 'general-image-recognition', modelVersionId: GENERAL_VERSION });
      assert.strictEqual(id, 'wf');
      const r = await app.workflow.predict('wf', METRO, { maxConcepts: 4 });
      assert.strictEqual(r.status.code, 10000);
      assert.strictEqual(r.results[0].outputs[0].data.concepts.length, 4);
      assert.strictEqual(r.results[0].input.data.image.url, METRO);
      const list = await app.workflows.list();
      assert.deepStrictEqual(list.rawData.map((w) => w.id), ['wf']);
      await app.workflows.delete('wf');
      const err = await app.workflow.predict('wf', METRO).then(() => null, (e) => e);
      assert.deepStrictEqual(failure(err), { http: 404, code: 22102 });
    });

    await check('the PAT with user and app ids works the same', async () => {
      const list = await patApp.inputs.list();
      assert.strictEqual(list.length, 2);
      const r = await patApp.models.predict('pets', DOG);
      assert.strictEqual(r.outputs[0].model.app_id, details.app_id);
    });

    await check('inputs.delete and models.delete', async () => {
      await app.inputs.delete('metro');
      await app.models.delete('pets');
      assert.strictEqual((await app.inputs.list()).length, 1);
      const err = await app.models.get('pets').then(() => null, (e) => e);
      assert.deepStrictEqual(failure(err), { http: 404, code: 21200 });
    });

    await check('a browser\'s CORS preflight and the answer\'s CORS header', async () => {
      const url = `${details.url}/v2/models/${Clarifai.GENERAL_MODEL}/outputs`;
      const pre = await fetch(url, {
        method: 'OPTIONS',
        headers: { Origin: 'http://localhost:8080', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-clarifai-client' },
      });
      assert.strictEqual(pre.status, 204);
      assert.strictEqual(pre.headers.get('access-control-allow-origin'), '*');
      assert.match(pre.headers.get('access-control-allow-headers'), /authorization/);
      assert.match(pre.headers.get('access-control-allow-methods'), /POST/);
      const res = await fetch(`${details.url}/v2/inputs`, { headers: { Origin: 'http://localhost:8080', Authorization: `Key ${details.api_key}` } });
      assert.strictEqual(res.headers.get('access-control-allow-origin'), '*');
    });
  } finally {
    proc.stdin.end();
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
    await new Promise((resolve) => (proc.exitCode !== null ? resolve() : proc.once('exit', resolve)));
    clearTimeout(timer);
  }

  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
