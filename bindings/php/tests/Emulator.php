<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

/**
 * The clarifai-emulator process the tests talk to: started once per PHPUnit run by
 * bootstrap.php, stopped by closing its standard input (--exit-on-stdin-eof).
 */
final class Emulator
{
    private static ?self $instance = null;

    /** @var resource */
    private $process;
    /** @var resource */
    private $stdin;

    /**
     * @param array{url: string, user_id: string, app_id: string, pat: string, api_key: string, admin_token: string} $details
     * @param list<string> $standingFaults the faults it was started with, which clearFaults() keeps
     */
    private function __construct($process, $stdin, public readonly array $details, private readonly array $standingFaults)
    {
        $this->process = $process;
        $this->stdin = $stdin;
    }

    public static function get(): self
    {
        if (self::$instance === null) {
            throw new \LogicException('the emulator is not running: tests must run with bootstrap.php');
        }
        return self::$instance;
    }

    /**
     * Start the emulator of the run, which get() returns.
     *
     * @param list<string> $args extra arguments, e.g. ['--fault', 'ListCollectors=delay:50']
     */
    public static function start(string $binary, array $args, string $logFile): self
    {
        return self::$instance = self::spawn($binary, $args, $logFile);
    }

    /**
     * Start another emulator, with state of its own (tests that change what the run's emulator
     * holds); it stops when the returned object's stop() runs, or at exit.
     *
     * @param list<string> $args
     */
    public static function spawn(string $binary, array $args, string $logFile): self
    {
        if (!is_executable($binary)) {
            throw new \RuntimeException("no emulator at $binary: run cargo build --release -p clarifai-emulator, or set CLARIFAI_EMULATOR");
        }
        $command = array_merge([$binary, '--listen', '127.0.0.1:0', '--exit-on-stdin-eof'], $args);
        $process = proc_open($command, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['file', $logFile, 'a']], $pipes);
        if ($process === false) {
            throw new \RuntimeException("cannot start $binary");
        }
        $line = fgets($pipes[1]);
        fclose($pipes[1]);
        $details = \is_string($line) ? json_decode($line, true) : null;
        if (!\is_array($details) || !isset($details['url'], $details['api_key'], $details['pat'])) {
            fclose($pipes[0]);
            proc_close($process);
            throw new \RuntimeException("the emulator printed no details line; see $logFile");
        }
        $faults = [];
        foreach ($args as $i => $arg) {
            if ($arg === '--fault' && isset($args[$i + 1])) {
                $faults[] = $args[$i + 1];
            }
        }
        $emulator = new self($process, $pipes[0], $details, $faults);
        register_shutdown_function([$emulator, 'stop']);
        return $emulator;
    }

    /** The binary bootstrap.php started. */
    public static function binary(): string
    {
        return getenv('CLARIFAI_EMULATOR') ?: \dirname(__DIR__, 3) . '/target/release/clarifai-emulator';
    }

    public function stop(): void
    {
        if (\is_resource($this->stdin)) {
            fclose($this->stdin);
            proc_close($this->process);
        }
    }

    public function url(): string
    {
        return $this->details['url'];
    }

    public function apiKey(): string
    {
        return $this->details['api_key'];
    }

    public function pat(): string
    {
        return $this->details['pat'];
    }

    public function userId(): string
    {
        return $this->details['user_id'];
    }

    public function appId(): string
    {
        return $this->details['app_id'];
    }

    /** Every secret the emulator handed out: none may appear in any message. */
    public function secrets(): array
    {
        return [$this->details['api_key'], $this->details['pat'], $this->details['admin_token']];
    }

    public function addFault(string $spec): void
    {
        $this->admin('POST', '/faults', ['spec' => $spec]);
    }

    /** Remove the faults tests added; those it was started with stay. */
    public function clearFaults(): void
    {
        $this->admin('DELETE', '/faults');
        foreach ($this->standingFaults as $fault) {
            $this->addFault($fault);
        }
    }

    /** @return list<array<string, mixed>> the requests the emulator saw, oldest first */
    public function requests(): array
    {
        return $this->admin('GET', '/requests')['requests'];
    }

    public function clearRequests(): void
    {
        $this->admin('DELETE', '/requests');
    }

    /** @return array<string, mixed> */
    private function admin(string $method, string $route, ?array $body = null): array
    {
        $context = stream_context_create(['http' => [
            'method' => $method,
            'header' => "X-Emulator-Admin-Token: {$this->details['admin_token']}\r\nContent-Type: application/json\r\n",
            'content' => $body === null ? '' : json_encode($body),
            'ignore_errors' => true,
        ]]);
        $answer = file_get_contents($this->url() . '/_emulator' . $route, false, $context);
        $decoded = \is_string($answer) ? json_decode($answer, true) : null;
        if (!\is_array($decoded) || ($decoded['status']['code'] ?? 0) !== 10000) {
            throw new \RuntimeException("emulator admin $method $route failed");
        }
        return $decoded;
    }
}
