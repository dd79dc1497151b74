<?php

declare(strict_types=1);

// For use without Composer (require this file): maps Clarifai\API\ to src/, as composer.json's
// PSR-4 entry does.
spl_autoload_register(static function (string $class): void {
    $prefix = 'Clarifai\\API\\';
    if (strncmp($class, $prefix, \strlen($prefix)) === 0) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, \strlen($prefix))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
