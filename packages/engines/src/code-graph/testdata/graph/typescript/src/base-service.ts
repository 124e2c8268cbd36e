/** Shared behaviour of every service. */
export class BaseService {
  protected audit(event: string): void {
    console.log(event);
  }
}
