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
    ['--fault', 'ListModelTypes=throttle:1', '--fault', 'ListAnnotations=delay:2000', '--fault', 'GetInputCount=echo:401'],
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

ClarifaiClient::setRuntimeWorkerThreads(2);
$options = ['baseUrl' => $emulator->url(), 'maxRetries' => 0, 'timeoutMs' => 5000, 'userAgent' => 'memcheck', 'proxyFromEnv' => false, 'http2PriorKnowledge' => false];
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
    $results = $key->callMany([['ListInputs'], ['GetInput', ['input_id' => 'none']], ["bad\0"], ['NoSuch'], ['ListAnnotations']], ['timeout' => 0.2]);
    $kept = $results[1];
    unset($results);
    $kept->getHeader('X-Clarifai-Emulator-Route');
    $expectFailure(static fn () => $key->call('GetInput', ['input_id' => 'none']), '$key->call(GetInput, [input_id => none])');
    $expectFailure(static fn () => $key->call('ListModelTypes'), '$key->call(ListModelTypes)');
    $expectFailure(static fn () => $key->call('NoSuch'), '$key->call(NoSuch)');
    $expectFailure(static fn () => new ClarifaiClient(''), 'new ClarifaiClient()');
    $expectFailure(static fn () => new ClarifaiClient('k', ['timeoutMs' => 0]), 'new ClarifaiClient(k, [timeoutMs => 0])');
    $expectFailure(static fn () => new ClarifaiClient('k', ['proxy' => 'not a proxy']), 'new ClarifaiClient(k, [proxy => not a proxy])');
    $expectFailure(static fn () => new ClarifaiClient('k', ['timeoutMs' => -1]), 'new ClarifaiClient(k, [timeoutMs => -1])');
    $expectFailure(static fn () => ClarifaiClient::setRuntimeWorkerThreads(3), 'setRuntimeWorkerThreads(3) after the start');
    $expectFailure(static fn () => $key->call('GetInputCount'), '$key->call(GetInputCount) echoing the key');
    (new ClarifaiClient($emulator->apiKey(), ['baseUrl' => 'http://192.0.2.1', 'dangerAllowInsecureHttp' => true, 'proxy' => $emulator->url(), 'maxRetries' => 0]))->call('ListInputs');
    $expectFailure(static fn () => $key->usingApiKey('canary-0123456789abcdef-CANARY')->call('ListInputs'), '$key->usingApiKey(canary-0123456789abcde');
    $pat->usingApiKey($emulator->apiKey())->call('ListInputs');
    $key->usingPat($emulator->pat(), 'me', $emulator->appId())->call('ListInputs');
    $created = $pat->createKey($emulator->appId(), ['Inputs:Get'], ['ListInputs', 'MyScopes'], 'memcheck key');
    $expectFailure(static fn () => $pat->createKey($emulator->appId(), ['Inputs:Frobnicate']), 'createKey with an unknown scope');
    $limited = new ClarifaiClient($created['id'], $options);
    $limited->can('PostInputs');
    $rotated = $pat->rotateKey($created['id']);
    $pat->listKeys();
    $pat->deleteKey($rotated['id']);
    $expectFailure(static fn () => $pat->deleteKey($rotated['id']), '$pat->deleteKey($rotated[id])');
    $pat->createApp("memcheck-app-$i");

    // The docs' gRPC form: views per credential, legacy-token clients, local answers, calls
    // cancelled, dropped while running, timed out, waited twice.
    $grpc = Clarifai\ClarifaiClient::grpc($options);
    $apiKey = ['Authorization' => ['Key ' . $emulator->apiKey()]];
    $calls = [
        $grpc->ListInputs([], $apiKey),
        $grpc->ListInputs(['user_app_id' => ['user_id' => 'me', 'app_id' => $emulator->appId()]], ['authorization' => 'Key ' . $emulator->pat()]),
        $grpc->GetInput(['input_id' => 'none'], $apiKey),
        $grpc->ListInputs([], ['Authorization' => ['Bearer canary-0123456789abcdef-CANARY']]),
        $grpc->ListInputs([], ['Authorization' => ["Key bad key"]]),
        $grpc->ListInputs([], []),
        $grpc->GetInputCount([], $apiKey),
        $grpc->ListAnnotations([], $apiKey, ['timeout' => 50_000]),
        $grpc->ListAnnotations([], $apiKey, ['timeout' => 0]),
    ];
    $cancelled = $grpc->ListAnnotations([], $apiKey);
    $cancelled->cancel();
    $grpc->ListAnnotations([], $apiKey); // dropped while running: freed and cancelled
    $calls[] = $cancelled;
    for ($j = 0; $j < 50; $j++) {
        $many = $grpc->ListAnnotations(['per_page' => $j + 1], $apiKey);
        if ($j % 3 === 0) {
            $many->cancel();
        }
        if ($j % 3 !== 2) {
            $calls[] = $many;
        }
    }
    foreach ($calls as $call) {
        $call->cancel();
        $call->wait();
        $call->wait();
    }
    Clarifai\ClarifaiClient::grpc('http://127.0.0.1:1', ['maxRetries' => 0])->ListInputs([], ['Authorization' => ['Key k']])->wait();
    $expectFailure(static fn () => Clarifai\ClarifaiClient::grpc(['baseUrl' => 'ftp://typo']), 'grpc([baseUrl => ftp://typo])');
    unset($grpc, $calls, $call, $many, $cancelled);
}
unset($key, $pat, $limited, $kept);
echo $failures === 0 ? "memory check: every path ran\n" : "memory check: $failures expected failures did not happen\n";
exit($failures === 0 ? 0 : 1);
