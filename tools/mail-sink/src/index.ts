export { startMailSink, type MailSink, type MailSinkOptions, type ReceivedMessage } from './mail-sink.js';
