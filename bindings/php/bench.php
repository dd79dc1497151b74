<?php

declare(strict_types=1);

/*
 * Benchmark (not a test): per-call latency of ClarifaiClient::call('ListInputs', ['per_page' => 1])
 * against PHP's curl extension doing the same authorized GET with one reused handle, both
 * decoding the JSON body, interleaved in rounds so both see the same machine; then callMany()
 * of 100 calls to a route the emulator delays by 50 ms.
 *
 *     php bench.php [N]        (N = 20000 by default; needs ext-curl for the comparison)
 *
 * Uses CLARIFAI_LIBRARY / CLARIFAI_EMULATOR like the tests (defaults: the repository's
 * target/release).
 *
 * scripts/bench sets CLARIFAI_BENCH_URL and CLARIFAI_BENCH_KEY to aim it at a server of its own
 * instead of a fresh emulator, and CLARIFAI_BENCH_PART to run one part: `latency` (the
 * per-call comparison) or `many` (callMany of 100 ListInputs, which that server delays: the
 * first burst, then the median of CLARIFAI_BENCH_RUNS more), with CLARIFAI_BENCH_CA_FILE the CA
 * of an https server; the figures then also come as tab-separated `@@` lines for the script.
 */

use Clarifai\API\ClarifaiClient;
use Clarifai\API\Tests\Emulator;

require __DIR__ . '/autoload.php';
require __DIR__ . '/tests/Emulator.php';

$repo = dirname(__DIR__, 2);
if (getenv('CLARIFAI_LIBRARY') === false && getenv('CLARIFAI_FFI_LIB') === false) {
    putenv('CLARIFAI_LIBRARY=' . $repo . '/target/release/libclarifai.so');
}
$n = (int) ($argv[1] ?? 20000);
$warmup = min(2000, $n);
$external = getenv('CLARIFAI_BENCH_URL') !== false && getenv('CLARIFAI_BENCH_KEY') !== false;
$part = getenv('CLARIFAI_BENCH_PART') ?: 'all';
if ($external) {
    $url = getenv('CLARIFAI_BENCH_URL');
    $key = getenv('CLARIFAI_BENCH_KEY');
    $delayed = 'ListInputs';
} else {
    $emulator = Emulator::start(
        getenv('CLARIFAI_EMULATOR') ?: $repo . '/target/release/clarifai-emulator',
        ['--fault', 'ListAnnotations=delay:50'],
        '/dev/null',
    );
    $url = $emulator->url();
    $key = $emulator->apiKey();
    $delayed = 'ListAnnotations';
}

/**
 * Per-call latency of each client, interleaved: `$rounds` rounds, each running every client for
 * N / rounds calls in turn (the order alternating), so the slow spells of a shared machine fall
 * on all of them alike rather than on whichever ran second. Prints one line per client and
 * returns their calls/s by id.
 *
 * @param list<array{string, string, callable(): array}> $clients name, id, call
 * @return array<string, float>
 */
function measure(array $clients, int $n, int $warmup, int $rounds = 10): array
{
    foreach ($clients as [, , $call]) {
        for ($i = 0; $i < $warmup; $i++) {
            $call();
        }
    }
    $per = intdiv($n, $rounds);
    $samples = $elapsed = [];
    for ($round = 0; $round < $rounds; $round++) {
        foreach ($round % 2 === 0 ? $clients : array_reverse($clients) as [$name, $id, $call]) {
            $start = hrtime(true);
            for ($i = 0; $i < $per; $i++) {
                $t = hrtime(true);
                $body = $call();
                $samples[$id][] = hrtime(true) - $t;
            }
            $elapsed[$id] = ($elapsed[$id] ?? 0) + (hrtime(true) - $start);
            if (($body['status']['code'] ?? 0) !== 10000) {
                throw new RuntimeException("$name: unexpected answer");
            }
        }
    }
    $rates = [];
    foreach ($clients as [$name, $id]) {
        $s = $samples[$id];
        sort($s);
        $count = count($s);
        $rates[$id] = $count / ($elapsed[$id] / 1e9);
        $median = $s[intdiv($count, 2)] / 1e3;
        $p99 = $s[(int) floor($count * 0.99)] / 1e3;
        printf("%-28s median %7.1f µs   p99 %7.1f µs   %8.0f calls/s\n", $name, $median, $p99, $rates[$id]);
        if (getenv('CLARIFAI_BENCH_URL') !== false) {
            printf("@@\tlatency\t%s\t%.2f\t%.2f\t%.0f\t%d\n", $id, $median, $p99, $rates[$id], $count);
        }
    }
    return $rates;
}

$caFile = getenv('CLARIFAI_BENCH_CA_FILE') ?: null;
$client = new ClarifaiClient($key, ['baseUrl' => $url, 'caFile' => $caFile, 'maxRetries' => 0]);

if ($part !== 'many') {
    printf("N = %d after %d warm-up calls each, interleaved in 10 rounds, PHP %s, library %s\n\n", $n, $warmup, PHP_VERSION, ClarifaiClient::version());
    $clients = [['clarifai call()', 'php-ffi', static fn () => $client->call('ListInputs', ['per_page' => 1])]];
    if (extension_loaded('curl')) {
        $curl = curl_init();
        curl_setopt_array($curl, [
            CURLOPT_URL => $url . '/v2/inputs?per_page=1',
            CURLOPT_HTTPHEADER => ['Authorization: Key ' . $key],
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_HTTPGET => true,
        ]);
        $clients[] = ['curl ext (reused handle)', 'php-curl', static fn () => json_decode(curl_exec($curl), true)];
    }
    $rates = measure($clients, $n, $warmup);
    if (isset($rates['php-curl'])) {
        printf("\nthroughput ratio clarifai/curl: %.2fx\n", $rates['php-ffi'] / $rates['php-curl']);
    } else {
        echo "\n(ext-curl not loaded: no comparison; apt-get install php-curl)\n";
    }
}
if ($part === 'latency') {
    exit(0);
}

$calls = array_fill(0, 100, [$delayed, ['per_page' => 1]]);
$runs = max(1, (int) (getenv('CLARIFAI_BENCH_RUNS') ?: 5));
$times = [];
// The first burst is the client's first: it opens the connections (cold); the rest are warm.
for ($i = 0; $i <= $runs; $i++) {
    $start = hrtime(true);
    $results = $client->callMany($calls);
    $times[] = (hrtime(true) - $start) / 1e6;
    foreach ($results as $result) {
        if (!is_array($result)) {
            throw $result;
        }
    }
}
$cold = array_shift($times);
sort($times);
$median = $times[intdiv(count($times), 2)];
printf("\ncallMany: 100 calls to a 50 ms route: cold %.1f ms, warm median %.1f ms, best %.1f ms wall (sequential: 5000 ms)\n", $cold, $median, $times[0]);
if ($external) {
    printf("@@\twall\tphp-callMany\t%.1f\t%.1f\n", $median, $cold);
}
