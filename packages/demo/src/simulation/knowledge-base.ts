/**
 * The support agent's back office: a help-centre vector search (60–200 ms), a CRM lookup
 * (~250 ms) and the order and billing systems (~300 ms), the kind of calls that sit between an
 * agent's llm calls.
 */
import type { SimulatedLatency } from './simulated-latency.js';

export interface KnowledgeArticle {
  id: string;
  title: string;
  body: string;
}

export interface CustomerRecord {
  customerId: string;
  plan: 'free' | 'pro' | 'enterprise';
  openOrders: number;
}

const TOPICS = ['refunds', 'shipping times', 'changing a plan', 'invoices', 'password reset', 'order tracking'];

export class KnowledgeBase {
  constructor(private readonly latency: SimulatedLatency) {}

  /** The `count` best articles for a question; each is a full help-centre page (~600 tokens). */
  async search(query: string, count: number, sessionId: string, turn: number): Promise<KnowledgeArticle[]> {
    await this.latency.wait(110, 0.35, 'kb-search', query, sessionId, turn);
    return Array.from({ length: count }, (_, index) => {
      const topic = TOPICS[index % TOPICS.length];
      return {
        id: `kb-${index + 1}`,
        title: `About ${topic}`,
        body: `Help-centre article on ${topic}, matched for "${query}". `.repeat(35),
      };
    });
  }

  async lookupCustomer(customerId: string, sessionId: string, turn: number): Promise<CustomerRecord> {
    await this.latency.wait(240, 0.3, 'lookup-customer', customerId, sessionId, turn);
    const plans: CustomerRecord['plan'][] = ['free', 'pro', 'enterprise'];
    return { customerId, plan: plans[customerId.length % 3], openOrders: customerId.length % 4 };
  }
}

export class BackOffice {
  constructor(private readonly latency: SimulatedLatency) {}

  /** Status of the customer's latest order, or their latest invoice. */
  async fetchRecord(kind: 'order' | 'billing', customerId: string, sessionId: string, turn: number): Promise<string> {
    await this.latency.wait(300, 0.35, 'back-office', kind, customerId, sessionId, turn);
    return kind === 'order'
      ? `Order 4411 for ${customerId}: shipped, arriving Thursday.`
      : `Invoice 2291 for ${customerId}: paid twice, refund pending.`;
  }
}
