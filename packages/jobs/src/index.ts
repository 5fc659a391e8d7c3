export {
  defineJob,
  defineService,
  type Job,
  type JobLogger,
  type RecurringJob,
  type ServiceJob,
  type StartedService,
} from './job.js';
export { JobRunner } from './job-runner.js';
