// `node dist/server.js` (started by `npm start`): the only file that reads process.*.
import { ConfigError } from '@bursary/config';
import { loadMailSinkConfig } from './config.js';
import { startMailSink } from './mail-sink.js';

try {
  const config = loadMailSinkConfig(process.env);
  const sink = await startMailSink({ host: config.HOST, smtpPort: config.SMTP_PORT, httpPort: config.HTTP_PORT ?? config.PORT, maxMessages: config.MAX_MESSAGES });
  console.log(JSON.stringify({ level: 'info', service: 'mail-sink', msg: `mail sink: SMTP on ${config.HOST}:${sink.smtpPort}, messages at ${sink.url}/api/messages` }));
  const stop = () => {
    sink.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
