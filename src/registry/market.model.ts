export interface Market {
  id: number;
  name: string;
  village: string | null;
  address: string | null;
}
