<?php

declare(strict_types=1);

// Every native path of the binding, outside PHPUnit, for Valgrind with no suppressions at all:
// PHPUnit's own object cycles (see ../valgrind.supp) cannot hide a leak here. Run by run-tests.

use Clarifai\API\ClarifaiClient;
use Clarifai\API\Exception\ClarifaiException;
use Clarifai\API\Tests\Emulator;
use Clarifai\API\UserAppIDSet;

require dirname(__DIR__) . '/autoload.php';
require __DIR__ . '/Emulator.php';

$repo = dirname(__DIR__, 3);
$emulator = Emulator::start(
    getenv('CLARIFAI_EMULATOR') ?: $repo . '/target/release/clarifai-emulator',
    ['--fault', 'ListModelTypes=throttle:1'],
    getenv('CLARIFAI_EMULATOR_LOG') ?: '/dev/null',
);
$failures = 0;
$expectFailure = static function (callable $act, string $what) use (&$failures): ?ClarifaiException {
    try {
        $act();
    } catch (ClarifaiException $e) {
        $e->getHeader('X-Clarifai-Emulator-Route');
        return $e;
    }
    fwrite(STDERR, "memory check: no failure from $what\n");
    $failures++;
    return null;
};

$options = ['baseUrl' => $emulator->url(), 'maxRetries' => 0, 'timeoutMs' => 5000, 'userAgent' => 'memcheck'];
$key = new ClarifaiClient($emulator->apiKey(), $options);
$pat = ClarifaiClient::withPat($emulator->pat(), $emulator->userId(), $emulator->appId(), $options);
for ($i = 0; $i < 3; $i++) {
    $key->call('ListInputs', ['per_page' => 1]);
    $pat->callResponse('ListInputs', ['user_app_id' => UserAppIDSet::create('me', $emulator->appId())])->getHeader('X-Clarifai-Emulator-Route');
    $key->request('GET', '/v2/inputs');
    $key->requestResponse('POST', '/v2/searches', ['query' => ['ands' => []]])->toArray();
    $key->metadata();
    $pat->myScopes();
    $key->can('PostModelOutputs');
    $key->can('PostKeys');
    $results = $key->callMany([['ListInputs'], ['GetInput', ['input_id' => 'none']], ["bad\0"], ['NoSuch']]);
    $kept = $results[1];
    unset($results);
    $kept->getHeader('X-Clarifai-Emulator-Route');
    $expectFailure(static fn () => $key->call('GetInput', ['input_id' => 'none']), '$key->call(GetInput, [input_id => none])');
    $expectFailure(static fn () => $key->call('ListModelTypes'), '$key->call(ListModelTypes)');
    $expectFailure(static fn () => $key->call('NoSuch'), '$key->call(NoSuch)');
    $expectFailure(static fn () => new ClarifaiClient(''), 'new ClarifaiClient()');
    $expectFailure(static fn () => new ClarifaiClient('k', ['timeoutMs' => 0]), 'new ClarifaiClient(k, [timeoutMs => 0])');
    $expectFailure(static fn () => $key->usingApiKey('canary-0123456789abcdef-CANARY')->call('ListInputs'), '$key->usingApiKey(canary-0123456789abcde');
    $pat->usingApiKey($emulator->apiKey())->call('ListInputs');
    $key->usingPat($emulator->pat(), 'me', $emulator->appId())->call('ListInputs');
    $created = $pat->createKey($emulator->appId(), ['Inputs:Get'], ['ListInputs', 'MyScopes']);
    $limited = new ClarifaiClient($created['id'], $options);
    $limited->can('PostInputs');
    $rotated = $pat->rotateKey($created['id']);
    $pat->listKeys();
    $pat->deleteKey($rotated['id']);
    $expectFailure(static fn () => $pat->deleteKey($rotated['id']), '$pat->deleteKey($rotated[id])');
    $pat->createApp("memcheck-app-$i");

    // The docs' gRPC form: views per credential, batches, legacy-token clients, local answers.
    $grpc = Clarifai\ClarifaiClient::grpc($options);
    $calls = [
        $grpc->ListInputs([], ['Authorization' => ['Key ' . $emulator->apiKey()]]),
        $grpc->ListInputs(['user_app_id' => ['user_id' => 'me', 'app_id' => $emulator->appId()]], ['authorization' => 'Key ' . $emulator->pat()]),
        $grpc->GetInput(['input_id' => 'none'], ['Authorization' => ['Key ' . $emulator->apiKey()]]),
        $grpc->ListInputs([], ['Authorization' => ['Bearer canary-0123456789abcdef-CANARY']]),
        $grpc->ListInputs([], ['Authorization' => ["Key bad key"]]),
        $grpc->ListInputs([], []),
    ];
    $grpc->ListInputs([], ['Authorization' => ['Key ' . $emulator->apiKey()]])->cancel();
    foreach ($calls as $call) {
        $call->wait();
    }
    Clarifai\ClarifaiClient::grpc('http://127.0.0.1:1', ['maxRetries' => 0])->ListInputs([], ['Authorization' => ['Key k']])->wait();
    $expectFailure(static fn () => Clarifai\ClarifaiClient::grpc(['baseUrl' => 'ftp://typo']), 'grpc([baseUrl => ftp://typo])');
    unset($grpc, $calls, $call);
}
unset($key, $pat, $limited, $kept);
echo $failures === 0 ? "memory check: every path ran\n" : "memory check: $failures expected failures did not happen\n";
exit($failures === 0 ? 0 : 1);
